import Foundation
import GRDB
import Testing

@Suite("clash season, races, tickets, leaderboard and hall of fame", .serialized, .timeLimit(.minutes(5)))
struct ArenaCLITests {
    let data = NSTemporaryDirectory() + "clash-arena-\(UUID().uuidString)"

    func clash(_ arguments: [String]) throws -> CLI.Result { try CLI.run(arguments + ["--data", data]) }

    func simulate(_ directory: String) throws -> CLI.Result {
        try CLI.run(["season", "simulate", "--seed", "4", "--clones", "5", "--races", "2", "--spectators", "4", "--assets", "2", "--cadence", "1h",
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
        #expect(summary["auditions_passed"] as? Int == 4 && summary["races_settled"] as? Int == 2)
        #expect(summary["auditions_failed"] as? Int == 1 && summary["retirements"] as? Int == 1, "c-5 decides every 4 hours: it fails, and its owner retires it")
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
        let hall = try clash(["hall-of-fame", "--json"]).stdout.split(separator: "\n")
        #expect(hall.count == 5, "every clone, racing, queued or retired")
        #expect(hall.contains { $0.contains("\"clone_id\":\"c-5\"") && $0.contains("\"status\":\"retired\"") }, "\(hall)")
        // One lifecycle: every view of a clone's status says the same (a clone that raced is not "created").
        var statuses: [String: String] = [:]
        for line in hall {
            let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            statuses[row["clone_id"] as! String] = row["status"] as? String
        }
        #expect(Set(statuses.values).isSuperset(of: ["racing", "retired"]) && !statuses.values.contains("created"), "\(statuses)")
        for (clone, status) in statuses {
            let shown = try CLI.json(try clash(["clones", "show", clone, "--as", "public"]).stdout)
            #expect(shown["status"] as? String == status, "clones show \(clone) says \(shown["status"] ?? "nothing"), the Hall of Fame \(status)")
        }
        let listed = try clash(["clones", "list"]).stdout.split(separator: "\n").map { try CLI.json(String($0)) }
        #expect(listed.count == 5 && listed.allSatisfy { statuses[$0["clone_id"] as! String] == $0["status"] as? String })
        let holderLine = try #require(try clash(["races", "show", "r-1", "--json"]).stdout.split(separator: "\n").first { $0.contains("\"kind\":\"holder\"") })
        let holder = try #require((try JSONSerialization.jsonObject(with: Data(holderLine.utf8)) as? [String: Any])?["recipient"] as? String)
        #expect(try clash(["tickets", "show", "--holder", holder, "--json"]).stdout.contains("\"status\":\"won\""))
        let status = try clash(["arena", "status", "--json"])
        #expect(status.status == 0 && status.stdout.contains("\"slot\":1"))
    }

    @Test("a read model that cannot be queried (its table gone) is an error naming it, exit 1, in the arena's read commands (the queries the season's summary prints); never an empty list")
    func queryErrorsAreReported() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try simulate(data).status == 0)
        #expect(try clash(["leaderboard", "--json"]).stdout.contains("\"clone_id\""))
        let arena = try DatabaseQueue(path: data + "/projections/arena.sqlite")
        try arena.write { try $0.execute(sql: "DROP TABLE career") }
        try arena.close()
        for command in [["leaderboard", "--json"], ["hall-of-fame", "--json"]] {
            let result = try clash(command)
            #expect(result.status == 1 && result.stdout.isEmpty, "\(command): \(result.stdout)")
            #expect(result.stderr.contains("career"), "\(command): the error names what cannot be read: \(result.stderr)")
        }
    }

    @Test("a season on the new market and rules separates its racers: the median race's best and worst differ by 100 bp or more, racers average 4 fills or more a race, and racers share a rank only with identical results")
    func racesAreContests() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        let run = try CLI.run(["season", "simulate", "--seed", "1", "--clones", "8", "--races", "3", "--spectators", "5", "--assets", "4",
                               "--cadence", "5m", "--slots", "6", "--no-store-packets", "--quiet", "--data", data])
        #expect(run.status == 0, "\(run.stderr)")
        var spreadsBp: [Int] = []
        var racers = 0
        for race in ["r-1", "r-2", "r-3"] {
            let rows = try clash(["races", "show", race, "--json"]).stdout.split(separator: "\n").map { try CLI.json(String($0)) }
                .filter { $0["rank"] is Int }
            racers += rows.count
            let equities = rows.map { $0["final_equity_e6"] as! Int }
            spreadsBp.append((equities.max()! - equities.min()!) * 10_000 / 10_000_000_000)
            for (a, b) in zip(rows, rows.dropFirst()) where a["rank"] as? Int == b["rank"] as? Int {
                #expect(a["final_equity_e6"] as? Int == b["final_equity_e6"] as? Int && a["max_drawdown_e6"] as? Int == b["max_drawdown_e6"] as? Int,
                        "\(race): a shared rank with different results")
            }
        }
        #expect(spreadsBp.sorted()[1] >= 100, "best minus worst final equity, bp of the start, per race: \(spreadsBp)")
        let fills = try clash(["log", "dump", "--type", "runtime.fill"]).stdout.split(separator: "\n").filter { $0.contains(".r-") }.count
        #expect(fills >= 4 * racers, "\(fills) fills for \(racers) racers in 3 races")
    }

    @Test("tickets buy is refused with a clear error and nothing written: race unknown or not accumulating, clone not racing, count below 1, holder not an ASCII address or a mixed-case address with a wrong EIP-55 checksum")
    func ticketRefusals() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try simulate(data).status == 0)
        // The scheduler run again opens r-3, accumulating with c-1 and c-2: each refusal below meets
        // the state that triggers it, not merely a race that no longer sells.
        let opened = try clash(["arena", "run", "--simulated"])
        #expect(opened.status == 0 && opened.stderr.contains("race r-3 opened with 2 racers"), "\(opened.stderr)")
        let head = try CLI.json(try clash(["log", "verify"]).stdout)["head_sequence"] as? Int
        let holder = "0x" + String(repeating: "b", count: 40)
        let cases: [([String], String)] = [
            (["--race", "r-9", "--clone", "c-1", "--holder", holder], "no race has id r-9"),
            (["--race", "r-1", "--clone", "c-1", "--holder", holder], "tickets are sold only while a race accumulates"),
            (["--race", "r-3", "--clone", "c-5", "--holder", holder], "clone c-5 is not in race r-3's line-up (c-1, c-2) [ticket.clone_not_in_lineup]"),
            (["--race", "r-3", "--clone", "c-1", "--holder", holder, "--count", "0"], "--count must be from 1 to 10000, not 0"),
            (["--race", "r-3", "--clone", "c-1", "--holder", "0x12"], "is not an address"),
            // A fullwidth digit (Unicode calls it a hex digit; no chain does), and EIP-55's example with one letter's case changed.
            (["--race", "r-3", "--clone", "c-1", "--holder", "0x１f9840a85d5af5bf1d1762f925bdaddc4201f984"], "ASCII only"),
            (["--race", "r-3", "--clone", "c-1", "--holder", "0x5aAeb6053f3E94C9b9A09f33669435E7Ef1BeAed"], "wrong EIP-55 checksum"),
        ]
        for (arguments, message) in cases {
            let result = try clash(["tickets", "buy"] + arguments)
            #expect(result.status == 65 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(try CLI.json(try clash(["log", "verify"]).stdout)["head_sequence"] as? Int == head, "nothing written")
    }

    @Test("races cancel: the accumulating race's tickets refunded, seen at once by the read commands; a final or unknown race refused, nothing written; arena run in real time stops on SIGTERM")
    func cancel() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try simulate(data).status == 0)
        // The season stopped after two races; the scheduler, run again, opens the next one.
        let opened = try clash(["arena", "run", "--simulated"])
        let summary = try CLI.json(opened.stdout)
        #expect(opened.status == 0 && summary["races_opened"] as? Int == 1, "\(opened.stdout)")
        let holder = "0x" + String(repeating: "a", count: 40)
        #expect(try clash(["tickets", "buy", "--race", "r-3", "--clone", "c-1", "--holder", holder, "--count", "2", "--at", "1717351300000"]).status == 0)
        #expect(try clash(["races", "list", "--json"]).stdout.contains("\"phase\":\"accumulating\",\"pool_wei\":\"20000000000000000\",\"race_id\":\"r-3\""))

        let cancelled = try clash(["races", "cancel", "r-3", "--reason", "data_outage", "--at", "1717351400000"])
        #expect(cancelled.status == 0 && cancelled.stdout.contains("\"phase\":\"cancelled\",\"refunded\":2"), "\(cancelled.stdout)")
        let tickets = try clash(["tickets", "show", "--holder", holder, "--json"]).stdout.split(separator: "\n")
        #expect(tickets.count == 2 && tickets.allSatisfy { $0.contains("\"status\":\"refunded\"") }, "\(tickets)")
        #expect(try clash(["race", "audit", "r-3"]).status == 0, "the cancellation and its refunds recomputed")

        let head = try CLI.json(try clash(["log", "verify"]).stdout)["head_sequence"] as? Int
        for (race, code) in [("r-3", "race.final"), ("r-1", "race.final"), ("r-9", "race.unknown")] {
            let refused = try clash(["races", "cancel", race, "--reason", "again"])
            #expect(refused.status == 65 && refused.stderr.contains("[\(code)]"), "\(race): \(refused.stderr)")
        }
        #expect(try CLI.json(try clash(["log", "verify"]).stdout)["head_sequence"] as? Int == head, "nothing written")

        let realTime = try CLI.runUntilTerminated(["arena", "run", "--poll-seconds", "0.2", "--data", data], after: 1.5)
        #expect(realTime.status == 0 && realTime.stdout.contains("\"races_opened\""), "\(realTime.stdout)")
        #expect(try clash(["log", "verify"]).status == 0)
    }
}
