import Foundation
import Testing

@Suite("clash season, races, tickets, leaderboard and hall of fame", .serialized)
struct ArenaCLITests {
    let data = NSTemporaryDirectory() + "clash-arena-\(UUID().uuidString)"

    func clash(_ arguments: [String]) throws -> CLI.Result { try CLI.run(arguments + ["--data", data]) }

    func simulate(_ directory: String) throws -> CLI.Result {
        try CLI.run(["season", "simulate", "--seed", "3", "--clones", "3", "--races", "2", "--spectators", "4", "--assets", "2", "--cadence", "1h",
                     "--slots", "2", "--no-store-packets", "--quiet", "--data", directory])
    }

    @Test("season simulate: the whole loop, the same seed giving the same log; its races, tickets, leaderboard and hall of fame read back")
    func season() throws {
        let other = data + "-again"
        defer {
            try? FileManager.default.removeItem(atPath: data)
            try? FileManager.default.removeItem(atPath: other)
        }
        let run = try simulate(data)
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try CLI.json(run.stdout)
        #expect(summary["auditions_passed"] as? Int == 3 && summary["races_settled"] as? Int == 2)
        #expect((summary["last_race"] as? [String: Any])?["race_id"] as? String == "r-2")
        #expect(try simulate(other).status == 0)
        let heads = try [data, other].map { try CLI.json(try CLI.run(["log", "verify", "--data", $0]).stdout)["head_hash"] as? String }
        #expect(heads[0] != nil && heads[0] == heads[1], "the same seed, the same log")
        #expect(try simulate(data).status != 0, "a season goes into a new data directory")

        let races = try clash(["races", "list", "--json"]).stdout.split(separator: "\n")
        #expect(races.count == 2 && races.allSatisfy { $0.contains("\"phase\":\"settled\"") })
        let shown = try clash(["races", "show", "r-1", "--json"])
        #expect(shown.status == 0 && shown.stdout.contains("\"kind\":\"breakage\""))
        #expect(try clash(["races", "show", "r-9"]).status == 65)
        let leaderboard = try clash(["leaderboard", "--json"]).stdout.split(separator: "\n")
        #expect(leaderboard.count == 2, "the two clones that raced")
        #expect(try clash(["leaderboard", "--race", "r-2", "--json"]).stdout.split(separator: "\n").first?.contains("\"rank\":1") == true)
        #expect(try clash(["hall-of-fame", "--json"]).stdout.split(separator: "\n").count == 3, "every clone, racing or not")
        let holderLine = try #require(try clash(["races", "show", "r-1", "--json"]).stdout.split(separator: "\n").first { $0.contains("\"kind\":\"holder\"") })
        let holder = try #require((try JSONSerialization.jsonObject(with: Data(holderLine.utf8)) as? [String: Any])?["recipient"] as? String)
        #expect(try clash(["tickets", "show", "--holder", holder, "--json"]).stdout.contains("\"status\":\"won\""))
        let status = try clash(["arena", "status", "--json"])
        #expect(status.status == 0 && status.stdout.contains("\"slot\":1"))
    }

    @Test("tickets buy is refused with a clear error and nothing written: race unknown or not accumulating, clone not racing, count below 1, holder malformed")
    func ticketRefusals() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try simulate(data).status == 0)
        let head = try CLI.json(try clash(["log", "verify"]).stdout)["head_sequence"] as? Int
        let holder = "0x" + String(repeating: "b", count: 40)
        let cases: [([String], String)] = [
            (["--race", "r-9", "--clone", "c-1", "--holder", holder], "no race has id r-9"),
            (["--race", "r-1", "--clone", "c-1", "--holder", holder], "tickets are sold only while a race accumulates"),
            (["--race", "r-1", "--clone", "c-1", "--holder", holder, "--count", "0"], "accumulates"),
            (["--race", "r-1", "--clone", "c-1", "--holder", "0x12"], "accumulates"),
        ]
        for (arguments, message) in cases {
            let result = try clash(["tickets", "buy"] + arguments)
            #expect(result.status == 65 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(try CLI.json(try clash(["log", "verify"]).stdout)["head_sequence"] as? Int == head, "nothing written")
    }
}
