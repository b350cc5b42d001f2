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

    @Test("a store URL that cannot be used, or a server that does not answer, is a clear error naming it, exit 1, nothing written")
    func badStore() throws {
        let bad = try CLI.run(["log", "verify", "--store", "postgres://nobody@127.0.0.1:1/clash"])
        #expect(bad.status == 1 && bad.stderr.contains("127.0.0.1:1") && bad.stderr.contains("unavailable"), "\(bad.stderr)")
        let malformed = try CLI.run(["log", "verify", "--store", "postgres://127.0.0.1/clash"])
        #expect(malformed.status != 0 && malformed.stderr.contains("names no user"), "\(malformed.stderr)")
    }
}
