import Foundation
import Testing

/// `clash` with `--store postgres://…`: the commands over the log on PostgreSQL. Skipped (with a
/// line saying so) when `CLASH_TEST_POSTGRES` names no server; tools/test starts one.
@Suite("clash on PostgreSQL", .serialized, .timeLimit(.minutes(5)),
       .enabled(if: ProcessInfo.processInfo.environment["CLASH_TEST_POSTGRES"] != nil, "CLASH_TEST_POSTGRES names no server (tools/test starts one)"))
struct PostgresCLITests {
    let base = NSTemporaryDirectory() + "clash-pg-\(UUID().uuidString)"
    var store: String {
        ProcessInfo.processInfo.environment["CLASH_TEST_POSTGRES"]! + "?schema=cli_" + String(base.suffix(12).lowercased().filter { $0.isLetter || $0.isNumber })
    }

    func season(_ extra: [String]) throws -> CLI.Result {
        try CLI.run(["season", "simulate", "--seed", "4", "--clones", "5", "--races", "2", "--spectators", "4", "--assets", "2", "--cadence", "1h",
                     "--slots", "2", "--no-store-packets", "--quiet"] + extra)
    }

    @Test("a season played on PostgreSQL is the season played on files: the same head hash, tree root and state hash; log verify, race audit and disputes work on it; an export imports into a file log with the same head, and a file log's export into PostgreSQL")
    func seasonOnPostgres() throws {
        defer { try? FileManager.default.removeItem(atPath: base) }
        let store = self.store
        let onPostgres = try season(["--data", base + "/pg", "--store", store])
        #expect(onPostgres.status == 0, "\(onPostgres.stderr)")
        #expect(try season(["--data", base + "/files"]).status == 0)

        let verified = try CLI.json(try CLI.run(["log", "verify", "--store", store]).stdout)
        let fileVerified = try CLI.json(try CLI.run(["log", "verify", "--data", base + "/files"]).stdout)
        #expect(verified["ok"] as? Bool == true && verified["head_hash"] as? String == fileVerified["head_hash"] as? String)
        #expect(verified["batches"] as? Int == fileVerified["batches"] as? Int, "the same batch boundaries")

        func same(_ command: [String]) throws {
            let postgres = try CLI.run(command + ["--data", base + "/pg", "--store", store])
            let files = try CLI.run(command + ["--data", base + "/files"])
            #expect(postgres.status == 0 && postgres.stdout == files.stdout, "\(command): \(postgres.stderr)")
        }
        try same(["log", "root"])
        try same(["state-hash"])
        try same(["leaderboard", "--json"])
        try same(["dispute", "race", "r-1", "--json"])
        let audit = try CLI.run(["race", "audit", "r-1", "--data", base + "/pg", "--store", store])
        #expect(audit.status == 0 && audit.stdout.contains("match"), "\(audit.stdout)\(audit.stderr)")

        // Export from PostgreSQL, import into files; export from files, import into a new schema.
        #expect(try CLI.run(["log", "export", "--store", store, "--to", base + "/pg.export"]).status == 0)
        let imported = try CLI.json(try CLI.run(["log", "import", "--data", base + "/imported", "--from", base + "/pg.export"]).stdout)
        #expect(imported["head_hash"] as? String == fileVerified["head_hash"] as? String)
        #expect(try CLI.run(["log", "export", "--data", base + "/files", "--to", base + "/files.export"]).status == 0)
        let second = store + "_b"
        let intoPostgres = try CLI.json(try CLI.run(["log", "import", "--store", second, "--from", base + "/files.export"]).stdout)
        #expect(intoPostgres["head_hash"] as? String == fileVerified["head_hash"] as? String)
        let again = try CLI.run(["log", "import", "--store", second, "--from", base + "/files.export"])
        #expect(again.status != 0 && again.stderr.contains("already holds a log"), "an import into a store that holds a log is refused: \(again.stderr)")
    }

    @Test("read-only commands against a hot standby (streaming replication) give the primary's answers: log verify, root, prove, dump, verify --replay, state-hash, race audit, dispute",
          .enabled(if: ProcessInfo.processInfo.environment["CLASH_TEST_POSTGRES_STANDBY"] != nil, "CLASH_TEST_POSTGRES_STANDBY names no standby (tools/test starts one)"))
    func standbyAnswersAsThePrimary() throws {
        defer { try? FileManager.default.removeItem(atPath: base) }
        let primary = self.store
        let standby = ProcessInfo.processInfo.environment["CLASH_TEST_POSTGRES_STANDBY"]! + "?" + primary.split(separator: "?").last!
        let played = try season(["--data", base + "/primary", "--store", primary])
        #expect(played.status == 0, "\(played.stderr)")
        let head = try CLI.json(try CLI.run(["log", "verify", "--store", primary]).stdout)["head_hash"] as? String
        #expect(head != nil)

        // Replication is asynchronous: wait (bounded) until the standby has replayed the season.
        var caughtUp = false
        for _ in 0..<120 where !caughtUp {
            let onStandby = try CLI.run(["log", "verify", "--store", standby])
            if onStandby.status == 0, try CLI.json(onStandby.stdout)["head_hash"] as? String == head { caughtUp = true } else { Thread.sleep(forTimeInterval: 0.25) }
        }
        #expect(caughtUp, "the standby reached the primary's head within 30 s")
        guard caughtUp else { return }

        // The auditor keeps read models in a directory of its own, built from the standby, beside a
        // copy of the artifacts folder that came with the log (artifacts stay local).
        try FileManager.default.createDirectory(atPath: base + "/auditor", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: base + "/primary/artifacts", toPath: base + "/auditor/artifacts")
        func same(_ command: [String]) throws {
            let onPrimary = try CLI.run(command + ["--data", base + "/primary", "--store", primary])
            let onStandby = try CLI.run(command + ["--data", base + "/auditor", "--store", standby])
            #expect(onStandby.status == 0 && onStandby.stdout == onPrimary.stdout && !onPrimary.stdout.isEmpty, "\(command): \(onStandby.stderr)")
        }
        try same(["log", "root"])
        try same(["log", "root", "--size", "100"])
        try same(["log", "prove", "--seq", "42"])
        try same(["log", "prove", "--from-size", "10"])
        try same(["log", "dump", "--from", "1", "--limit", "50"])
        try same(["state-hash"])
        try same(["dispute", "race", "r-1", "--json"])
        try same(["race", "audit", "r-1"])
        let replay = try CLI.run(["verify", "--replay", "--data", base + "/auditor", "--store", standby])
        #expect(replay.status == 0, "verify --replay on the standby: \(replay.stdout)\(replay.stderr)")

        // The standby refuses writes with a clear error, and the primary's log is untouched.
        let write = try CLI.run(["clones", "create", "--owner", "0x" + String(repeating: "a", count: 40), "--name", "Late", "--assets", "BTC",
                                 "--prompt", "p", "--data", base + "/auditor", "--store", standby])
        #expect(write.status == 1 && write.stderr.contains("is read-only (a hot standby)") && write.stderr.contains("write through the primary"), "\(write.stderr)")
        #expect(try CLI.json(try CLI.run(["log", "verify", "--store", primary]).stdout)["head_hash"] as? String == head)
    }

    @Test("a store URL that cannot be used, or a server that does not answer, is a clear error naming it, exit 1, nothing written")
    func badStore() throws {
        let bad = try CLI.run(["log", "verify", "--store", "postgres://nobody@127.0.0.1:1/clash"])
        #expect(bad.status == 1 && bad.stderr.contains("127.0.0.1:1") && bad.stderr.contains("unavailable"), "\(bad.stderr)")
        let malformed = try CLI.run(["log", "verify", "--store", "postgres://127.0.0.1/clash"])
        #expect(malformed.status != 0 && malformed.stderr.contains("names no user"), "\(malformed.stderr)")
    }
}
