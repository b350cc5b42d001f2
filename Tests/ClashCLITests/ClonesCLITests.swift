import Foundation
import Testing

@Suite("clash clones and pipeline preview", .serialized, .timeLimit(.minutes(5)))
struct ClonesCLITests {
    let data = NSTemporaryDirectory() + "clash-clones-\(UUID().uuidString)"
    /// EIP-55 checksummed (what a wallet shows); events store it lowercase.
    static let owner = "0x8ba1f109551bD432803012645Ac136ddd64DBA72"
    static let marker = "ZEBRA-MARKER-7731 never show this prompt"

    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary), "build the clash executable first (swift build)")
    }

    func clash(_ arguments: [String]) throws -> CLI.Result { try CLI.run(arguments + ["--data", data]) }

    func market() throws {
        #expect(try clash(["ingest", "categories", "--at", "1717200000000"]).status == 0)
        #expect(try clash(["market", "simulate", "--seed", "3", "--assets", "8", "--hours", "2"]).status == 0)
    }

    func create(_ extra: [String] = []) throws -> CLI.Result {
        try clash(["clones", "create", "--owner", Self.owner, "--name", "Momentum Max", "--tagline", "Rides the trend",
                   "--category", "Crypto/Layer 1", "--prompt", Self.marker, "--cadence", "5m", "--risk", "low", "--at", "1717210000000"] + extra)
    }

    @Test("create, list, show, preview: the prompt text reaches no public output, read model or log segment")
    func privacy() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        try market()
        let created = try create()
        #expect(created.status == 0, "\(created.stderr)")
        let id = try CLI.json(created.stdout)["clone_id"] as? String
        #expect(id == "c-1")
        var publicOutputs: [String] = [created.stdout]
        for arguments in [["clones", "list"], ["clones", "show", "c-1"], ["clones", "show", "c-1", "--as", "public"],
                          ["pipeline", "preview", "--clone", "c-1"], ["state-hash"], ["log", "dump"]] {
            let result = try clash(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            publicOutputs.append(result.stdout + result.stderr)
        }
        #expect(publicOutputs[4].contains("\"packet_hash\"") && publicOutputs[4].contains("\"prompt_hash\""))
        for output in publicOutputs { #expect(!output.contains("ZEBRA-MARKER"), "\(output.prefix(200))") }
        let projections = try FileManager.default.contentsOfDirectory(atPath: data + "/projections").filter { $0.hasSuffix(".sqlite") }
        #expect(projections.contains("clones.sqlite"))
        for file in projections {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: data + "/projections/" + file))
            #expect(bytes.range(of: Data("ZEBRA-MARKER".utf8)) == nil, "\(file)")
        }
        for segment in try FileManager.default.contentsOfDirectory(atPath: data + "/log").filter({ $0.hasPrefix("seg-") && $0.hasSuffix(".lz4") }) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["lz4", "-dc", data + "/log/" + segment]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = Pipe()
            try process.run()
            let text = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(text.count > 1_000 && text.range(of: Data("ZEBRA-MARKER".utf8)) == nil, "\(segment)")
        }
        // The owner and an operator do see it: the search above could have found it.
        let owner = try clash(["clones", "show", "c-1", "--as", "owner", "--owner", Self.owner.lowercased()])
        #expect(owner.status == 0 && owner.stdout.contains("ZEBRA-MARKER"))
        let preview = try clash(["pipeline", "preview", "--clone", "c-1", "--asset", "BTC", "--as", "operator"])
        #expect(preview.stdout.contains("ZEBRA-MARKER") && preview.stdout.split(separator: "\n").count == 1)
        let stranger = try clash(["clones", "show", "c-1", "--as", "owner", "--owner", "0x0000000000000000000000000000000000000001"])
        #expect(stranger.status == 65 && !stranger.stdout.contains("ZEBRA-MARKER"))
    }

    @Test("bad input is a clear error with exit 65 and writes nothing")
    func badInput() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        try market()
        let head = try CLI.json(try clash(["log", "stats"]).stdout)["head_sequence"] as? Int
        let cases: [([String], String)] = [
            (["--owner", "0x12"], "not an address"),
            (["--owner", "0x8BA1f109551bD432803012645Ac136ddd64DBA72"], "wrong EIP-55 checksum"),
            (["--name", ""], "name"),
            (["--category", "Crypto/Layer 9"], "not a category"),
            (["--prompt", "p", "--assets", "NOPE"], "NOPE"),
            (["--risk", "reckless"], "risk"),
        ]
        for (override, message) in cases {
            var arguments = ["clones", "create", "--owner", Self.owner, "--name", "N", "--prompt", "p", "--category", "Crypto/Layer 1",
                             "--at", "1717210000000"]
            for pair in stride(from: 0, to: override.count, by: 2) {
                if let index = arguments.firstIndex(of: override[pair]) { arguments[index + 1] = override[pair + 1] } else { arguments += [override[pair], override[pair + 1]] }
            }
            let result = try clash(arguments)
            #expect(result.status == 65, "\(override): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(override): \(result.stderr)")
        }
        #expect(try CLI.json(try clash(["log", "stats"]).stdout)["head_sequence"] as? Int == head)
        #expect(!FileManager.default.fileExists(atPath: data + "/artifacts"), "no artifact of a refused clone")
        #expect(try create(["--id", "alpha"]).status == 0)
        let duplicate = try create(["--id", "alpha"])
        #expect(duplicate.status == 65 && duplicate.stderr.contains("clone.exists"))
        let wrongOwner = try clash(["clones", "retire", "alpha", "--owner", "0x0000000000000000000000000000000000000001"])
        #expect(wrongOwner.status == 65 && wrongOwner.stderr.contains("clone.not_owner"))
    }

    @Test("templates validate; a broken graph lists every problem with its pointer; change-strategy and retire")
    func graphs() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        try market()
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        for granularity in ["basic", "custom", "power"] {
            let template = try CLI.run(["clones", "template", "--granularity", granularity])
            #expect(template.status == 0)
            try template.stdout.write(toFile: data + "/\(granularity).json", atomically: true, encoding: .utf8)
            let valid = try clash(["clones", "validate", data + "/\(granularity).json"])
            #expect(valid.status == 0 && valid.stdout.contains("\"valid\":true"), "\(granularity): \(valid.stdout)")
        }
        var power = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: data + "/power.json"))) as? [String: Any])
        var blocks = try #require(power["blocks"] as? [[String: Any]])
        blocks[0]["source"] = "binance"
        blocks.removeAll { $0["kind"] as? String == "trading_clone" }
        power["blocks"] = blocks
        try JSONSerialization.data(withJSONObject: power).write(to: URL(fileURLWithPath: data + "/broken.json"))
        let broken = try clash(["clones", "validate", data + "/broken.json"])
        #expect(broken.status == 65)
        #expect(broken.stdout.contains("data.unknown_source") && broken.stdout.contains("/blocks/0/source") && broken.stdout.contains("graph.no_clone"))

        #expect(try create().status == 0)
        let changed = try clash(["clones", "change-strategy", "c-1", "--graph", data + "/power.json", "--owner", Self.owner])
        #expect(changed.status == 0, "\(changed.stderr)")
        let refused = try clash(["clones", "change-strategy", "c-1", "--graph", data + "/broken.json", "--owner", Self.owner])
        #expect(refused.status == 65 && refused.stderr.contains("/blocks/0/source"))
        #expect(try clash(["clones", "retire", "c-1", "--owner", Self.owner]).status == 0)
        let shown = try CLI.json(try clash(["clones", "show", "c-1"]).stdout)
        #expect(shown["status"] as? String == "retired" && shown["granularity"] as? String == "power" && shown["strategy_changes"] as? Int == 1)
    }

    @Test("runtime run-once: one run's path, refused again within its cadence unless forced; an asset the strategy does not trade is refused")
    func runOnce() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        try market()
        #expect(try clash(["clones", "create", "--owner", Self.owner, "--name", "R", "--assets", "BTC,ETH", "--prompt", "p", "--cadence", "5m",
                           "--at", "1717210000000"]).status == 0)
        let once = try clash(["runtime", "run-once", "--clone", "c-1", "--asset", "BTC", "--at", "1717203600000"])
        #expect(once.status == 0, "\(once.stderr)")
        let types = once.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["type"] as? String
        }
        #expect(Array(types.prefix(3)) == ["runtime.run_due", "runtime.context_assembled", "runtime.decision_proposed"])
        let again = try clash(["runtime", "run-once", "--clone", "c-1", "--asset", "BTC", "--at", "1717203660000"])
        #expect(again.status != 0 && again.stderr.contains("--force"))
        #expect(try clash(["runtime", "run-once", "--clone", "c-1", "--asset", "BTC", "--at", "1717203660000", "--force"]).status == 0)
        let other = try clash(["runtime", "run-once", "--clone", "c-1", "--asset", "SOL", "--at", "1717203600000"])
        #expect(other.status != 0 && other.stderr.contains("trades no SOL"))
        let trail = try clash(["runtime", "trail", "--clone", "c-1", "--asset", "BTC"])
        #expect(trail.stdout.split(separator: "\n").filter { $0.contains("\"type\":\"runtime.run_due\"") }.count == 2)
    }

    @Test("a missing artifact stops preview with an error naming the hash")
    func missingArtifact() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        try market()
        let hash = try #require(try CLI.json(try create().stdout)["strategy_hash"] as? String)
        try FileManager.default.removeItem(atPath: data + "/artifacts")
        let preview = try clash(["pipeline", "preview", "--clone", "c-1"])
        #expect(preview.status == 66 && preview.stderr.contains(hash))
    }

    @Test("runtime worker: --once runs what is due at the newest market minute; a worker stopped by SIGTERM finishes its cycle and exits 0 with a note, not an error")
    func worker() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        try market()
        #expect(try clash(["clones", "create", "--owner", Self.owner, "--name", "W", "--assets", "BTC,ETH", "--prompt", "p", "--cadence", "1m",
                           "--at", "1717207000000"]).status == 0)
        let once = try clash(["runtime", "worker", "--once"])
        #expect(once.status == 0, "\(once.stderr)")
        let cycle = try CLI.json(once.stdout)
        #expect(cycle["runs"] as? Int == 2 && cycle["skipped"] as? Int == 0 && cycle["market_ms"] as? Int == 1_717_207_140_000, "\(once.stdout)")
        #expect(try clash(["runtime", "worker", "--once"]).stdout.contains("\"events\":0"), "nothing new: nothing written")
        // The rules engine is seeded by the clone's id (seed 1 + 1 for c-1), as the arena seeds it and whatever order clones are found in.
        let decisions = try clash(["log", "dump", "--type", "runtime.decision_proposed"]).stdout.split(separator: "\n")
        #expect(decisions.count == 2 && decisions.allSatisfy { $0.contains("\"engine_seed\":\"2\"") }, "\(decisions)")
        // An hour of market logged while no worker ran: its minutes' runs are skipped, the newest one's run.
        #expect(try clash(["market", "simulate", "--seed", "4", "--assets", "8", "--hours", "1", "--start", "1717207200000"]).status == 0)
        let later = try CLI.json(try clash(["runtime", "worker", "--once"]).stdout)
        #expect(later["runs"] as? Int == 2 && later["skipped"] as? Int == 59 && later["market_ms"] as? Int == 1_717_210_740_000, "\(later)")

        let stopped = try CLI.runUntilTerminated(["runtime", "worker", "--poll-seconds", "0.2", "--data", data], after: 1.5)
        // A normal stop is not an error: exit 0, a note on standard error, no "error:" line.
        #expect(stopped.status == 0 && stopped.stderr.contains("note: worker stopped after") && stopped.stderr.contains("(stop requested)")
                && !stopped.stderr.contains("error:"), "\(stopped.stderr)")
        #expect(try clash(["log", "verify"]).status == 0)
    }

    @Test("bench runtime twice: the same events in the same batches, so the same head hash")
    func benchRuntimeIsDeterministic() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        let runs = try (0..<2).map { _ in
            try CLI.json(try clash(["bench", "runtime", "--clones", "4", "--assets", "3", "--hours", "1", "--seed", "9"]).stdout)
        }
        #expect(runs[0]["decisions"] as? Int == 4 * 3 * 60)
        #expect(runs[0]["head_hash"] as? String != nil && runs[0]["head_hash"] as? String == runs[1]["head_hash"] as? String)
    }
}
