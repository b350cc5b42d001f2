import Foundation
import Testing

/// Commands that only read never create a data directory, never write into one, refuse one
/// without a log (exit 66), and work on a read-only copy.
@Suite("read-only commands", .serialized, .timeLimit(.minutes(5)))
struct ReadOnlyCommandsTests {
    let root = NSTemporaryDirectory() + "clash-readonly-\(UUID().uuidString)"
    static let owner = "0x8ba1f109551bd432803012645ac136ddd64dba72"

    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary), "build the clash executable first (swift build)")
    }

    /// Every read-only command, with what it needs besides --data.
    func commands() -> [[String]] {
        [["log", "stats"], ["log", "verify"], ["log", "dump", "--limit", "3"], ["log", "export", "--to", root + "/export.jsonl"],
         ["verify"], ["verify", "--replay"], ["state-hash"], ["projections", "status"], ["assets", "list"], ["assets", "latest", "BTC"],
         ["clones", "list"], ["clones", "show", "c-1"], ["pipeline", "preview", "--clone", "c-1", "--asset", "BTC"],
         ["clones", "validate", root + "/graph.json"], ["market", "stats"], ["assets", "list", "--table"]]
    }

    /// Every path below `directory` with a hash of its content (directories as such).
    func snapshot(_ directory: String) throws -> [String: String] {
        var out: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory)
            out[path] = isDirectory.boolValue ? "dir" : (try Data(contentsOf: URL(fileURLWithPath: directory + "/" + path))).base64EncodedString()
        }
        return out
    }

    func setUp() throws -> String {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try CLI.run(["clones", "template", "--granularity", "power"]).stdout.write(toFile: root + "/graph.json", atomically: true, encoding: .utf8)
        let data = root + "/data"
        for arguments in [["ingest", "categories", "--at", "1717200000000"], ["market", "simulate", "--seed", "2", "--assets", "6", "--hours", "2"],
                          ["clones", "create", "--owner", Self.owner, "--name", "R", "--category", "Crypto/Layer 1", "--prompt", "p",
                           "--at", "1717210000000"],
                          ["projections", "catch-up"],
                          // More market after the catch-up: the read models on disk lag behind the log.
                          ["market", "simulate", "--seed", "3", "--assets", "6", "--hours", "1", "--start", "1717207200000"]] {
            let result = try CLI.run(arguments + ["--data", data])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        return data
    }

    @Test("a missing path or an empty directory is refused with exit 66, naming the path, and nothing is created")
    func noLog() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        try CLI.run(["clones", "template"]).stdout.write(toFile: root + "/graph.json", atomically: true, encoding: .utf8)
        for command in commands() {
            for directory in [root + "/missing", root + "/empty"] {
                let result = try CLI.run(command + ["--data", directory])
                #expect(result.status == 66, "\(command) on \(directory): \(result.stderr)")
                #expect(result.stderr.contains("no log in \(directory)"), "\(command): \(result.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: root + "/missing"), "\(command) created the missing directory")
            #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/empty").isEmpty, "\(command) wrote into the empty directory")
        }
        #expect(!FileManager.default.fileExists(atPath: root + "/export.jsonl"))
    }

    @Test("no read-only command changes a byte of the data directory, and read models behind the log are folded aside")
    func writesNothing() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let data = try setUp()
        let before = try snapshot(data)
        var outputs: [String: String] = [:]
        for command in commands() {
            let result = try CLI.run(command + ["--data", data])
            #expect(result.status == 0, "\(command): \(result.stderr)")
            outputs[command.joined(separator: " ")] = result.stdout
        }
        #expect(try snapshot(data) == before)
        let status = outputs["projections status"] ?? ""
        #expect(status.contains("\"lag\":") && !status.contains("\"lag\":0,"), "the read models on disk lag: \(status)")
        // What the read-only commands folded aside is what a catch-up writes.
        #expect(try CLI.run(["projections", "catch-up", "--data", data]).status == 0)
        #expect(try CLI.run(["state-hash", "--data", data]).stdout == outputs["state-hash"])
    }

    @Test("every read-only command works on a copy without write permission, with the same answers (run unprivileged under root)")
    func readOnlyCopy() throws {
        defer {
            _ = try? CLI.runTool("chmod", ["-R", "u+w", root])
            try? FileManager.default.removeItem(atPath: root)
        }
        let data = try setUp()
        let copy = root + "/copy"
        #expect(try CLI.runTool("cp", ["-a", data, copy]) == 0)
        #expect(try CLI.runTool("chmod", ["-R", "a-w", copy]) == 0)
        let before = try snapshot(copy)
        for command in commands() where command.first != "log" || command[1] != "export" {
            let original = try CLI.run(command + ["--data", data])
            let readOnly = try CLI.run(command + ["--data", copy], unprivileged: true)
            #expect(readOnly.status == 0, "\(command): \(readOnly.stderr)")
            if command != ["log", "stats"] && command != ["projections", "status"] {
                #expect(readOnly.stdout == original.stdout, "\(command)")
            }
        }
        #expect(try snapshot(copy) == before)
    }

    @Test("clash --version and clash version --json")
    func version() throws {
        let plain = try CLI.run(["--version"])
        #expect(plain.status == 0 && !plain.stdout.isEmpty)
        let json = try CLI.json(try CLI.run(["version", "--json"]).stdout)
        #expect(json["version"] as? String == plain.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(json["log_format_version"] as? Int == 1)
        #expect((json["catalog_event_versions"] as? Int ?? 0) > (json["catalog_event_types"] as? Int ?? 0))
        if let revision = json["git_revision"] as? String { #expect(revision.count == 40) }
    }
}
