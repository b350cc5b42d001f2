import Foundation
import Testing

/// Read commands for people: an aligned table with amounts in their units (what a terminal gets,
/// or `--table`); JSON lines piped or with `--json`, every value as stored.
@Suite("tables for people, JSON for programs", .serialized, .timeLimit(.minutes(5)))
struct TableOutputTests {
    let data = NSTemporaryDirectory() + "clash-tables-\(UUID().uuidString)"

    func clash(_ arguments: [String]) throws -> CLI.Result { try CLI.run(arguments + ["--data", data]) }

    @Test("a race, a clone, an account and the leaderboard as tables: ETH beside wei, ISO 8601 UTC times, returns in %, USDC as decimals; piped they stay JSON")
    func tables() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        let run = try CLI.run(["season", "simulate", "--seed", "3", "--clones", "4", "--races", "1", "--spectators", "3", "--assets", "2", "--cadence", "1h",
                               "--slots", "2", "--no-store-packets", "--quiet", "--data", data])
        #expect(run.status == 0, "\(run.stderr)")
        let race = try clash(["races", "show", "r-1", "--table"]).stdout
        #expect(race.contains("pool (ETH)") && race.contains("pool_wei") && race.contains(" ETH") && race.contains("opened (UTC)"))
        #expect(race.split(separator: "\n").contains { $0.hasPrefix("opened (UTC)") && $0.hasSuffix("2024-06-02T00:00:00Z") },
                "r-1 opened when the first day's auditions ended: \(race)")
        #expect(!race.contains("{"), "no JSON in a table")
        let board = try clash(["leaderboard", "--race", "r-1", "--table"]).stdout
        let header = try #require(board.split(separator: "\n").first)
        #expect(header.contains("return (%)") && header.contains("final_equity") && !header.contains("final_equity_e6"))
        #expect(board.contains("%") && board.split(separator: "\n").dropFirst(2).allSatisfy { $0.contains("%") })
        let clones = try clash(["clones", "list", "--table"]).stdout
        #expect(clones.contains("created (UTC)") && clones.contains("audition_fee (ETH)") && clones.contains("0.01 ETH"))
        let shown = try clash(["clones", "show", "c-1", "--table"]).stdout
        #expect(shown.split(separator: "\n").contains { $0.hasPrefix("status ") })
        let account = try clash(["accounts", "show", "c-1", "--competition", "r-1", "--table"]).stdout
        #expect(account.contains("starting_equity") && account.contains("10,000"), "\(account)")
        // Piped (as here) or with --json: JSON lines, every value as stored.
        let piped = try clash(["leaderboard", "--race", "r-1"]).stdout.split(separator: "\n")
        #expect(!piped.isEmpty && piped.allSatisfy { $0.hasPrefix("{") && $0.contains("\"final_equity_e6\":") })
        #expect(try clash(["clones", "show", "c-1", "--json"]).stdout.hasPrefix("{\"audition_fee_wei\":"))
    }
}
