import Foundation
import Testing

/// Writers on the log on PostgreSQL meeting faults: killed mid-transaction, and the server
/// restarted under them. Skipped (with a line saying so) when `CLASH_TEST_POSTGRES` names no server.
@Suite("clash on PostgreSQL, faults", .serialized, .timeLimit(.minutes(5)),
       .enabled(if: ProcessInfo.processInfo.environment["CLASH_TEST_POSTGRES"] != nil, "CLASH_TEST_POSTGRES names no server (tools/test starts one)"))
struct PostgresFaultTests {
    let base = NSTemporaryDirectory() + "clash-pgfault-\(UUID().uuidString)"

    /// A `clash bench append --store` writer whose output goes to files, read while it runs.
    struct Writer {
        let process = Process()
        let out: String
        let err: String

        init(_ store: String, seed: Int, events: Int, chunk: Int, in directory: String) throws {
            try self.init(["bench", "append", "--store", store, "--seed", "\(seed)", "--events", "\(events)", "--chunk", "\(chunk)"],
                          named: "writer-\(seed)", in: directory)
        }

        /// Any `clash` command run in the background.
        init(_ arguments: [String], named name: String, in directory: String) throws {
            out = directory + "/\(name).out"
            err = directory + "/\(name).err"
            FileManager.default.createFile(atPath: out, contents: nil)
            FileManager.default.createFile(atPath: err, contents: nil)
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = arguments
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
            try process.run()
        }

        /// The last sequence of each acknowledged (committed) append, as printed so far.
        var durable: [UInt64] {
            ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n")
                .compactMap { $0.hasPrefix("durable ") ? UInt64($0.dropFirst(8)) : nil }
        }

        var stderr: String { (try? String(contentsOfFile: err, encoding: .utf8)) ?? "" }

        /// Waits for the writer to end, SIGKILLing it (and recording a failure) after `seconds`.
        func wait(atMost seconds: Double) {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning {
                Issue.record("writer \(process.arguments ?? []) still running after \(seconds) s")
                kill(process.processIdentifier, SIGKILL)
            }
            process.waitUntilExit()
        }
    }

    /// Waits (bounded) until every writer has acknowledged at least `appends` appends.
    func waitUntil(_ writers: [Writer], acknowledged appends: Int) -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if writers.allSatisfy({ $0.durable.count >= appends }) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    @Test("writer processes SIGKILLed in the middle of their transactions lose nothing acknowledged and leave no gap: every committed append is where it said, each writer's events are a prefix of what it sent, the chain verifies")
    func killedWriters() throws {
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let store = ProcessInfo.processInfo.environment["CLASH_TEST_POSTGRES"]! + "?schema=killed_" + UUID().uuidString.prefix(8).lowercased()
        let writers = try (1...3).map { try Writer(store, seed: $0, events: 1_000_000, chunk: 25, in: base) }
        #expect(waitUntil(writers, acknowledged: 10), "each writer acknowledged appends")
        for writer in writers { kill(writer.process.processIdentifier, SIGKILL) }
        for writer in writers { writer.wait(atMost: 10) }
        #expect(writers.allSatisfy { $0.process.terminationReason == .uncaughtSignal })

        let verified = try CLI.json(try CLI.run(["log", "verify", "--store", store]).stdout)
        #expect(verified["ok"] as? Bool == true, "\(verified)")
        let dumped = try CLI.run(["log", "dump", "--store", store])
        let records = try dumped.stdout.split(separator: "\n").map { try CLI.json(String($0)) }
        let sequences = records.compactMap { $0["seq"] as? Int }
        #expect(sequences == Array(1...records.count), "gapless")
        #expect(verified["events"] as? Int == records.count)
        let ids = records.compactMap { $0["id"] as? String }
        for (index, writer) in writers.enumerated() {
            let seed = index + 1
            let mine = ids.filter { $0.hasPrefix("tick-\(seed)-") }
            let sentInOrder = mine == (0..<mine.count).map { "tick-\(seed)-\($0 + 1)" }
            #expect(sentInOrder, "writer \(seed): what is in the log is what it sent, in order, with nothing missing")
            #expect(mine.count % 25 == 0, "whole appends only")
            for sequence in writer.durable {
                #expect(ids[Int(sequence) - 1].hasPrefix("tick-\(seed)-"), "the acknowledged append ending at \(sequence) is there")
            }
            #expect(mine.count >= writer.durable.count * 25, "every acknowledged event is there")
        }
    }

    @Test("PostgreSQL restarted under load: the writers see a clear error, reconnect, retry idempotently and go on; afterwards every event is there exactly once, the chain verifies, and a file log imported from its export has the same head")
    func restartUnderLoad() throws {
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let server = base + "/server"
        defer {
            _ = try? Self.postgres(["stop", server])
            try? FileManager.default.removeItem(atPath: base)
        }
        // A server of its own, so that restarting it disturbs no other test.
        let started = try Self.postgres(["start", server])
        try #require(started.status == 0, "tools/postgres start: \(started.stderr)")
        let store = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let events = 12_000, chunk = 20
        #expect(try CLI.run(["log", "verify", "--store", store]).status == 0, "the schema is created before the writers start")
        let writers = try (1...3).map { try Writer(store, seed: $0, events: events, chunk: chunk, in: base) }
        #expect(waitUntil(writers, acknowledged: 20))
        let restarted = try Self.postgres(["restart", server])
        #expect(restarted.status == 0, "tools/postgres restart: \(restarted.stderr)")
        for writer in writers { writer.wait(atMost: 120) }

        for writer in writers {
            #expect(writer.process.terminationStatus == 0, "the writer went on after the restart: \(writer.stderr)")
        }
        let warnings = writers.map(\.stderr).joined()
        #expect(warnings.contains("is unavailable") && warnings.contains("reconnecting"), "a clear error, then a reconnect: \(warnings)")
        let verified = try CLI.json(try CLI.run(["log", "verify", "--store", store]).stdout)
        #expect(verified["ok"] as? Bool == true, "\(verified)")
        #expect(verified["events"] as? Int == 3 * events, "every event exactly once (ids are unique in the database)")
        #expect(verified["batches"] as? Int == 3 * events / chunk, "every append one batch, none twice")
        // What three processes wrote, exported into a file log: the same head.
        #expect(try CLI.run(["log", "export", "--store", store, "--to", base + "/log.export"]).status == 0)
        let imported = try CLI.json(try CLI.run(["log", "import", "--data", base + "/files", "--from", base + "/log.export"]).stdout)
        #expect(imported["head_hash"] as? String == verified["head_hash"] as? String, "\(imported)")
    }

    /// Waits (bounded) until `condition` holds.
    func eventually(_ seconds: Double = 30, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }

    @Test("one arena scheduler at a time on a shared log: a second waits as a standby saying who holds the lease, takes over when the first is SIGKILLed, and stops (exit 1) when it loses its lease; a second runtime worker waits too")
    func oneProcessManagerAtATime() throws {
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let store = ProcessInfo.processInfo.environment["CLASH_TEST_POSTGRES"]! + "?schema=lease_" + UUID().uuidString.prefix(8).lowercased()
        func scheduler(_ name: String) throws -> Writer {
            try Writer(["arena", "run", "--store", store, "--data", base + "/" + name, "--poll-seconds", "0.2"], named: name, in: base)
        }
        let first = try scheduler("first")
        #expect(eventually { (try? PostgresFaultTests.sessions(store, named: "clash arena scheduler")) == 1 }, "the first holds the lease")
        let second = try scheduler("second")
        #expect(eventually { second.stderr.contains("another arena scheduler holds the lease") && second.stderr.contains("waits as a standby") },
                "the second waits, saying so: \(second.stderr)")
        Thread.sleep(forTimeInterval: 1)
        #expect(!second.stderr.contains("took over"), "it does not go on while the first holds the lease")

        kill(first.process.processIdentifier, SIGKILL)
        first.wait(atMost: 10)
        #expect(eventually { second.stderr.contains("this arena scheduler took over the lease") }, "the standby takes over: \(second.stderr)")

        // The holder's session ended by the server: it has lost the lease and stops.
        try PostgresFaultTests.psql(store, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'clash arena scheduler'")
        second.wait(atMost: 30)
        #expect(second.process.terminationStatus == 1 && second.stderr.contains("lost its lease"), "\(second.stderr)")

        // The runtime worker has a lease of its own.
        let worker = try Writer(["runtime", "worker", "--store", store, "--data", base + "/w1", "--poll-seconds", "0.2"], named: "w1", in: base)
        #expect(eventually { (try? PostgresFaultTests.sessions(store, named: "clash runtime worker")) == 1 })
        let standby = try Writer(["runtime", "worker", "--store", store, "--data", base + "/w2", "--poll-seconds", "0.2"], named: "w2", in: base)
        #expect(eventually { standby.stderr.contains("another runtime worker holds the lease") }, "\(standby.stderr)")
        for process in [worker, standby] { process.process.terminate() }
        for process in [worker, standby] { process.wait(atMost: 30) }
        #expect(worker.process.terminationStatus == 0 && standby.process.terminationStatus == 0, "SIGTERM ends both, the standby too")
    }

    /// How many sessions named `name` are connected to `store`'s database.
    static func sessions(_ store: String, named name: String) throws -> Int {
        Int(try psql(store, "SELECT count(*) FROM pg_stat_activity WHERE application_name = '\(name)'").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Runs a statement with psql, as an operator would; its output.
    @discardableResult
    static func psql(_ store: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [String(store.prefix { $0 != "?" }), "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "psql \(sql)")
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs tools/postgres from the package. Its output goes to files, not pipes: the server it
    /// starts outlives it, and a pipe it inherited would never reach its end.
    static func postgres(_ arguments: [String]) throws -> CLI.Result {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let out = NSTemporaryDirectory() + "clash-pgtool-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: out + ".out", contents: nil)
        FileManager.default.createFile(atPath: out + ".err", contents: nil)
        defer { try? FileManager.default.removeItem(atPath: out + ".out"); try? FileManager.default.removeItem(atPath: out + ".err") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: root.path + "/tools/postgres")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: out + ".err"))
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            Issue.record("tools/postgres \(arguments) still running after 120 s")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return CLI.Result(status: process.terminationStatus, stdout: (try? String(contentsOfFile: out + ".out", encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOfFile: out + ".err", encoding: .utf8)) ?? "")
    }
}
