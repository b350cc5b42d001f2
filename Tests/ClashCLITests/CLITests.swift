import Foundation
import LedgerLog
import Testing

/// Runs the `clash` executable built beside the tests.
struct CLI {
    static var binary: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/.build/debug/clash"
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// When the tests run as root (as CI does), permissions bind nobody; `setpriv` runs a command
    /// as the unprivileged user 65534 so that a read-only copy really is read-only. Nil otherwise.
    static var unprivileged: [String]? {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
            ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : nil
    }

    static func run(_ arguments: [String], unprivileged: Bool = false) throws -> Result {
        let process = Process()
        let prefix = unprivileged ? Self.unprivileged ?? [] : []
        process.executableURL = URL(fileURLWithPath: prefix.first ?? binary)
        process.arguments = prefix.isEmpty ? arguments : Array(prefix.dropFirst()) + [binary] + arguments
        return try finish(process, terminateAfter: nil)
    }

    /// Starts `clash` with `arguments`, sends it SIGTERM after `seconds`, and returns what it did.
    static func runUntilTerminated(_ arguments: [String], after seconds: Double) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        return try finish(process, terminateAfter: seconds)
    }

    /// The longest a command may run before it is killed and the test fails (none should come near).
    static let killAfterSeconds = 240.0

    /// Runs `process` to its end, reading standard output and standard error at once (either
    /// could fill its pipe while the other is read); SIGTERM after `terminateAfter` seconds when
    /// given, SIGKILL and a recorded failure after `killAfterSeconds`, so no test can hang on it.
    static func finish(_ process: Process, terminateAfter: Double?) throws -> Result {
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if let terminateAfter {
            DispatchQueue.global().asyncAfter(deadline: .now() + terminateAfter) { if process.isRunning { process.terminate() } }
        }
        let killed = NSLock()
        nonisolated(unsafe) var wasKilled = false
        DispatchQueue.global().asyncAfter(deadline: .now() + killAfterSeconds) {
            guard process.isRunning else { return }
            killed.withLock { wasKilled = true }
            kill(process.processIdentifier, SIGKILL)
        }
        nonisolated(unsafe) var stderr = Data()
        let readErrors = DispatchGroup()
        readErrors.enter()
        Thread {
            stderr = err.fileHandleForReading.readDataToEndOfFile()
            readErrors.leave()
        }.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        readErrors.wait()
        process.waitUntilExit()
        if killed.withLock({ wasKilled }) {
            Issue.record("clash \(process.arguments ?? []) was still running after \(killAfterSeconds) s and was killed")
        }
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Runs a system tool (found on the PATH); returns its exit status.
    static func runTool(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    static func json(_ text: String) throws -> [String: Any] {
        let line = text.split(separator: "\n").last.map(String.init) ?? ""
        return try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
    }
}

@Suite("clash command line", .serialized, .timeLimit(.minutes(5)))
struct CLITests {
    let data = NSTemporaryDirectory() + "clash-cli-\(UUID().uuidString)"

    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary), "build the clash executable first (swift build)")
    }

    func seed(_ events: Int = 3_000) throws {
        let result = try CLI.run(["bench", "append", "--data", data, "--events", "\(events)", "--seed", "5", "--chunk", "500",
                                  "--segment-bytes", "65536"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("durable \(events)"))
    }

    @Test("stats and verify print the same head; dump prints canonical lines as stored")
    func statsVerifyDump() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        try seed()
        let stats = try CLI.json(try CLI.run(["log", "stats", "--data", data]).stdout)
        let verify = try CLI.run(["log", "verify", "--data", data])
        #expect(verify.status == 0)
        let report = try CLI.json(verify.stdout)
        #expect(report["ok"] as? Bool == true)
        #expect(report["events"] as? Int == 3_000)
        #expect(report["head_hash"] as? String == stats["head_hash"] as? String)
        #expect((report["segments"] as? Int ?? 0) > 1)
        let dump = try CLI.run(["log", "dump", "--data", data, "--from", "2999", "--stream", "market.BTC-PERP", "--limit", "1"])
        let lines = dump.stdout.split(separator: "\n")
        #expect(lines.count <= 1)
        let all = try CLI.run(["log", "dump", "--data", data, "--type", "market.tick"]).stdout.split(separator: "\n")
        #expect(all.count == 3_000)
        #expect(all.first?.hasPrefix(#"{"id":"tick-5-1","payload":{"#) == true)
    }

    @Test("verify exits non-zero on damage and names the segment file, byte offset and first bad sequence")
    func verifyNamesDamage() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        try seed()
        let segments = try FileManager.default.contentsOfDirectory(atPath: data + "/log").filter { $0.hasSuffix(".lz4") }.sorted()
        let target = data + "/log/" + segments[1]
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: target))
        try handle.seek(toOffset: 400)
        handle.write(Data([0xAB, 0xCD]))
        try handle.close()
        let verify = try CLI.run(["log", "verify", "--data", data])
        #expect(verify.status == 1)
        let problem = try CLI.json(verify.stdout)["problem"] as? [String: Any]
        #expect(problem?["file"] as? String == target)
        #expect(problem?["offset"] as? Int == 72)
        #expect((problem?["sequence"] as? Int ?? 0) > 1)
        #expect(verify.stderr.contains(segments[1]))

        let repair = try CLI.run(["log", "repair", "--data", data])
        #expect(repair.status == 0, "\(repair.stderr)")
        #expect(try CLI.run(["log", "verify", "--data", data]).status == 0)
    }

    @Test("a torn tail (a writer killed mid-append) is reported, not called damage: verify exits 0 with torn_tail and a note; the next writer moves it to quarantine")
    func tornTailIsNotDamage() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        try seed()
        let before = try CLI.json(try CLI.run(["log", "verify", "--data", data]).stdout)
        #expect(before["torn_tail"] == nil)
        let segments = try FileManager.default.contentsOfDirectory(atPath: data + "/log").filter { $0.hasSuffix(".lz4") }.sorted()
        let last = data + "/log/" + segments.last!
        let bytes = try Data(contentsOf: URL(fileURLWithPath: last))
        // What a killed writer leaves: the first 100 bytes of a batch frame (a header, part of its body).
        let partial = bytes[SegmentHeader.frameBytes..<(SegmentHeader.frameBytes + 100)]
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: last))
        handle.seekToEndOfFile()
        handle.write(Data(partial))
        try handle.close()

        let verify = try CLI.run(["log", "verify", "--data", data])
        #expect(verify.status == 0, "\(verify.stderr)")
        let report = try CLI.json(verify.stdout)
        let torn = report["torn_tail"] as? [String: Any]
        #expect(torn?["bytes"] as? Int == 100 && torn?["offset"] as? Int == bytes.count && torn?["file"] as? String == last)
        #expect(report["ok"] as? Bool == true && report["problem"] == nil)
        #expect(report["head_sequence"] as? Int == before["head_sequence"] as? Int && report["head_hash"] as? String == before["head_hash"] as? String)
        #expect(verify.stderr.hasPrefix("note: ") && verify.stderr.contains("quarantine") && !verify.stderr.contains("error"))
        #expect(try CLI.run(["verify", "--data", data]).status == 0, "clash verify agrees")

        let repair = try CLI.run(["log", "repair", "--data", data])
        #expect(repair.status == 0, "\(repair.stderr)")
        let after = try CLI.json(try CLI.run(["log", "verify", "--data", data]).stdout)
        #expect(after["torn_tail"] == nil && after["head_hash"] as? String == before["head_hash"] as? String)
        let quarantined = try FileManager.default.contentsOfDirectory(atPath: data + "/log/quarantine")
        #expect(quarantined.count == 1)
    }

    @Test("export then import into an empty directory reproduces the head hash; a bad file is refused")
    func exportImport() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        try seed(1_000)
        let file = data + "/export.jsonl"
        let exported = try CLI.json(try CLI.run(["log", "export", "--data", data, "--to", file]).stdout)
        let copy = data + "/copy"
        let imported = try CLI.run(["log", "import", "--data", copy, "--from", file])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try CLI.json(imported.stdout)["head_hash"] as? String == exported["head_hash"] as? String)
        let again = try CLI.run(["log", "import", "--data", copy, "--from", file])
        #expect(again.status == 65)
        #expect(again.stderr.contains("empty data directory"))

        try "{\"format\":\"clash-log-export\"\nnot json\n".write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["log", "import", "--data", data + "/other", "--from", file])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("line 1"))
        #expect(!FileManager.default.fileExists(atPath: data + "/other/log/seg-00000000000000000001.lz4"))
    }

    @Test("a second writer is refused with exit code 75 and the holder named")
    func secondWriterRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        let first = Process()
        first.executableURL = URL(fileURLWithPath: CLI.binary)
        first.arguments = ["bench", "append", "--data", data, "--events", "50000000", "--seed", "1", "--fsync", "none"]
        first.standardOutput = FileHandle.nullDevice
        try first.run()
        defer { kill(first.processIdentifier, SIGKILL); first.waitUntilExit() }
        var refused: CLI.Result?
        for _ in 0..<100 {
            usleep(50_000)
            let second = try CLI.run(["bench", "append", "--data", data, "--events", "1", "--seed", "2"])
            if second.status == 75 { refused = second; break }
        }
        #expect(refused?.stderr.contains("pid \(first.processIdentifier)") == true)
    }
}

extension CLITests {
    @Test("ingest turns a recorded response into events once; a truncated one is refused and writes nothing")
    func ingestRecordedResponse() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let body = #"{"BTC":"113079.5","ETH":"4321.05","@1":"21.522"}"#
        try body.write(toFile: data + "/mids.json", atomically: true, encoding: .utf8)
        let arguments = ["ingest", "hyperliquid", "--data", data, "--request", "allMids", "--from-file", data + "/mids.json", "--at", "1765584000000"]
        let first = try CLI.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try CLI.json(first.stdout)["written"] as? Bool == true)
        #expect(try CLI.json(try CLI.run(arguments).stdout)["written"] as? Bool == false)
        let dump = try CLI.run(["log", "dump", "--data", data]).stdout
        #expect(dump.contains(#""mids":[{"mid_e8":2152200000,"symbol":"@1"},{"mid_e8":11307950000000,"symbol":"BTC"},{"mid_e8":432105000000,"symbol":"ETH"}]"#))

        try String(body.dropLast(10)).write(toFile: data + "/cut.json", atomically: true, encoding: .utf8)
        let cut = try CLI.run(["ingest", "hyperliquid", "--data", data, "--request", "allMids", "--from-file", data + "/cut.json"])
        #expect(cut.status == 65)
        #expect(cut.stderr.contains("hyperliquid allMids"))
        #expect(try CLI.json(try CLI.run(["log", "stats", "--data", data]).stdout)["events"] as? Int == 1)
    }
}
