import ArgumentParser
import Foundation
import LedgerLog
import Clash

/// The log benchmark: durable append, read+decode, verify, bytes per event and open time, on
/// synthetic ticks in a fresh directory.
struct BenchLog: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Measure the log on synthetic ticks; print one JSON object.")

    @OptionGroup var data: DataOptions
    @Option(help: "How many tick events.") var events = 1_000_000
    @Option(help: "Seed of the synthetic ticks.") var seed: UInt64 = 1
    @Option(help: "Events per append call.") var chunk = 1_000
    @Flag(help: "Keep the benchmark's log directory afterwards.") var keep = false

    func execute() throws {
        let directory = data.directory + "/bench-log-\(seed)-\(events)"
        try? FileManager.default.removeItem(atPath: directory)
        defer { if !keep { try? FileManager.default.removeItem(atPath: directory) } }

        // The drafts are made before the clock starts, as the peer makes its ticks first.
        var ticks = SyntheticTicks(seed: seed)
        var chunks: [[EventDraft]] = []
        var left = events
        while left > 0 {
            let count = min(chunk, left)
            chunks.append((0..<count).map { _ in ticks.next()! })
            left -= count
        }

        var start = monotonicSeconds()
        let log = try FileLog.open(directory: directory, options: FileLogOptions(fsync: .batchDefault))
        var last: UInt64 = 0
        for drafts in chunks { last = try log.submit(drafts).lastSequence }
        try log.waitUntilDurable(last)
        let appendSeconds = monotonicSeconds() - start
        try log.close()
        chunks = []

        start = monotonicSeconds()
        let reader = try LogReader(directory: directory)
        var decoded = 0
        var payloadBytes = 0
        try reader.forEach(from: 1, filter: .all) { record in
            decoded += 1
            payloadBytes &+= record.payload.count
            return true
        }
        let readSeconds = monotonicSeconds() - start
        precondition(decoded == events, "read \(decoded) of \(events) events")

        start = monotonicSeconds()
        let report = LogVerifier.verify(directory: directory)
        let verifySeconds = monotonicSeconds() - start
        guard report.ok, report.events == UInt64(events) else { throw ValidationError("verify failed: \(String(describing: report.problem))") }

        start = monotonicSeconds()
        try FileLog.open(directory: directory).close()
        let openSeconds = monotonicSeconds() - start
        try FileManager.default.removeItem(atPath: directory + "/writer-checkpoint.json")
        start = monotonicSeconds()
        let scanned = try FileLog.open(directory: directory)
        let openScanSeconds = monotonicSeconds() - start
        try scanned.close()

        Output.json { json in
            json.beginObject()
            json.key("append_events_per_second"); json.int(rate(events, appendSeconds))
            json.key("bytes_on_disk"); json.int(report.bytesOnDisk)
            json.key("bytes_per_event"); json.decimal(Double(report.bytesOnDisk) / Double(max(events, 1)))
            json.key("events"); json.int(events)
            json.key("fsync"); json.string("batch")
            json.key("open_full_scan_seconds"); json.decimal(openScanSeconds, places: 3)
            json.key("open_seconds"); json.decimal(openSeconds, places: 3)
            json.key("read_decode_events_per_second"); json.int(rate(events, readSeconds))
            json.key("seed"); json.uint(seed)
            json.key("segments"); json.int(report.segments)
            json.key("verify_events_per_second"); json.int(rate(events, verifySeconds))
            json.endObject()
        }
    }

    private func rate(_ count: Int, _ seconds: Double) -> Int { Int(Double(count) / max(seconds, 1e-9)) }
}
