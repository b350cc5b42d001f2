import ArgumentParser
import Clash
import Foundation
import LedgerLog
import Transparency

/// Times the Merkle tree over a large log: catching the sidecar up from nothing, then inclusion
/// and consistency proofs at random, each from a tree opened afresh (as `clash log prove` does)
/// or from one kept open.
struct BenchTree: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree", abstract: "Time the Merkle tree: sidecar catch-up (events/s) and proofs at random over a large log; print JSON.")

    @OptionGroup var data: DataOptions
    @Option(help: "Events in the log.") var events = 10_000_000
    @Option(help: "Proofs of each kind to time.") var proofs = 1_000
    @Option(help: "Seed of the ticks and of the sequences proved.") var seed: UInt64 = 1

    func validate() throws {
        guard events >= 2, proofs >= 1 else { throw ValidationError("--events must be at least 2 and --proofs at least 1") }
    }

    func execute() throws {
        let directory = data.directory + "/bench-tree-\(seed)"
        try? FileManager.default.removeItem(atPath: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = try FileLog.open(directory: directory + "/log", options: FileLogOptions(fsync: .batchDefault))
        var ticks = SyntheticTicks(seed: seed)
        let appended = monotonicSeconds()
        var last: UInt64 = 0
        var remaining = events
        while remaining > 0 {
            let count = min(4_096, remaining)
            last = try log.submit((0..<count).map { _ in ticks.next()! }).lastSequence
            remaining -= count
        }
        try log.waitUntilDurable(last)
        try log.close()
        let appendSeconds = monotonicSeconds() - appended

        let reader = try LogReader(directory: directory + "/log")
        let caught = monotonicSeconds()
        let tree = try LogTree(log: reader, directory: directory + "/tree")
        try tree.catchUp()
        let catchUpSeconds = monotonicSeconds() - caught
        let size = tree.size
        let root = try tree.root(size: size)

        var random = SplitMix64(seed: seed)
        var inclusion: [Double] = []
        var consistency: [Double] = []
        var reopened: [Double] = []
        var invalid = 0
        for index in 0..<proofs {
            let sequence = 1 + random.next() % size
            var began = monotonicSeconds()
            let proof = try InclusionProof(tree: tree, sequence: sequence, size: size)
            inclusion.append(monotonicSeconds() - began)
            if !proof.isValid || proof.rootHash != root { invalid += 1 }
            let first = 1 + random.next() % size
            began = monotonicSeconds()
            let check = try ConsistencyProof(tree: tree, from: first, to: size)
            consistency.append(monotonicSeconds() - began)
            if !check.isValid { invalid += 1 }
            if index < 100 {
                // As a command does it: the log and the sidecar opened, then one proof.
                began = monotonicSeconds()
                let fresh = try LogTree(log: try LogReader(directory: directory + "/log"), directory: directory + "/tree")
                try fresh.catchUp()
                let proved = try InclusionProof(tree: fresh, sequence: 1 + random.next() % size, size: size)
                reopened.append(monotonicSeconds() - began)
                if !proved.isValid { invalid += 1 }
            }
        }
        func milliseconds(_ values: [Double], _ quantile: Double) -> Double {
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * quantile))] * 1_000
        }
        Output.json { json in
            json.beginObject()
            json.key("append_events_per_second"); json.int(Int(Double(events) / appendSeconds))
            json.key("catch_up_events_per_second"); json.int(Int(Double(size) / catchUpSeconds))
            json.key("catch_up_seconds"); json.decimal(catchUpSeconds, places: 3)
            json.key("consistency_ms_max"); json.decimal(milliseconds(consistency, 1), places: 3)
            json.key("consistency_ms_p50"); json.decimal(milliseconds(consistency, 0.5), places: 3)
            json.key("events"); json.uint(size)
            json.key("inclusion_ms_max"); json.decimal(milliseconds(inclusion, 1), places: 3)
            json.key("inclusion_ms_p50"); json.decimal(milliseconds(inclusion, 0.5), places: 3)
            json.key("invalid"); json.int(invalid)
            json.key("opened_and_proved_ms_max"); json.decimal(milliseconds(reopened, 1), places: 3)
            json.key("opened_and_proved_ms_p50"); json.decimal(milliseconds(reopened, 0.5), places: 3)
            json.key("proofs"); json.int(proofs)
            json.key("root_hash"); json.string(root.hex)
            json.key("seed"); json.uint(seed)
            json.endObject()
        }
        if invalid > 0 { throw ExitCode(1) }
    }
}
