import ArgumentParser
import Foundation
import LedgerLog
import Clash

/// The log benchmark: durable append, read+decode, verify, bytes per event and open time, on
/// synthetic ticks in a fresh directory — or, with `--store`, in an empty log on PostgreSQL.
struct BenchLog: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Measure the log on synthetic ticks; print one JSON object.")

    @OptionGroup var data: DataOptions
    @Option(help: "How many tick events.") var events = 1_000_000
    @Option(help: "Seed of the synthetic ticks.") var seed: UInt64 = 1
    @Option(help: "Events per append call.") var chunk = 1_000
    @Option(help: "With --store: how many writers, each on its own connection.") var writers = 1
    @Option(help: "With --store: how many threads call each writer's append at once (the store groups their appends into shared transactions).")
    var callers = 1
    @Flag(help: "Keep the benchmark's log directory afterwards.") var keep = false

    func validate() throws {
        guard events >= 1, chunk >= 1, chunk <= LogLimits.batchRecordsMax else {
            throw ValidationError("--events must be >= 1 and --chunk 1...\(LogLimits.batchRecordsMax)")
        }
        guard writers >= 1, callers >= 1, writers * callers <= 1_024 else { throw ValidationError("--writers and --callers must be >= 1, at most 1,024 threads in all") }
        guard data.storeURL != nil || (writers == 1 && callers == 1) else { throw ValidationError("--writers and --callers go with --store postgres://…") }
    }

    func execute() throws {
        if let url = data.storeURL { return try benchPostgres(url) }
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

        let readSeconds = try readAndDecode(LogReader(directory: directory))

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

    /// Seconds to read and decode every record of `log`, which must hold `--events`.
    func readAndDecode(_ log: any LogReading) throws -> Double {
        let start = monotonicSeconds()
        var decoded = 0
        var payloadBytes = 0
        try log.forEach(from: 1, filter: .all) { record in
            decoded += 1
            payloadBytes &+= record.payload.count
            return true
        }
        let seconds = monotonicSeconds() - start
        guard decoded == events, payloadBytes > 0 else { throw ValidationError("read \(decoded) of \(events) events") }
        return seconds
    }

    func rate(_ count: Int, _ seconds: Double) -> Int { Int(Double(count) / max(seconds, 1e-9)) }
}
