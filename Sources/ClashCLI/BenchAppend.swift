import ArgumentParser
import Foundation
import LedgerLog
import Clash

/// Appends synthetic ticks and reports each durable point, so that an outside crash test can kill
/// it at any moment and then check that every acknowledged event survived. With `--store` the ticks
/// go to the log on PostgreSQL, each append one committed transaction; a server that restarts is
/// reconnected to and the append retried (reported on standard error).
struct BenchAppend: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append synthetic tick events; print `durable SEQ` each time an fsync acknowledges events up to SEQ.")

    @OptionGroup var data: DataOptions
    @Option(help: "How many tick events to append.") var events = 1_000_000
    @Option(help: "Seed of the synthetic ticks (and of their event ids).") var seed: UInt64 = 1
    @Option(help: "fsync policy: always, batch or none.") var fsync = "batch"
    @Option(help: "Events per append call.") var chunk = 1_000
    @Option(help: "Segment size limit in bytes.") var segmentBytes = LogLimits.segmentBytesDefault
    @Option(help: "Wait this long between appends, ms, and print `appended SEQ SECONDS` (CLOCK_MONOTONIC) after each (a paced writer, for the live feed's benchmark).")
    var intervalMs: Int = 0

    func validate() throws {
        guard FsyncPolicy(name: fsync) != nil else { throw ValidationError("--fsync must be always, batch or none") }
        guard events >= 0, chunk >= 1, chunk <= LogLimits.batchRecordsMax else {
            throw ValidationError("--events must be >= 0 and --chunk 1...\(LogLimits.batchRecordsMax)")
        }
        guard intervalMs >= 0 else { throw ValidationError("--interval-ms must be >= 0") }
        guard segmentBytes >= LogLimits.segmentBytesMin else { throw ValidationError("--segment-bytes must be >= \(LogLimits.segmentBytesMin)") }
    }

    func execute() throws {
        if let url = data.storeURL { return try appendToPostgres(url) }
        let options = FileLogOptions(fsync: FsyncPolicy(name: fsync)!, segmentBytesMax: segmentBytes) { sequence in
            Output.line("durable \(sequence)")
        }
        let log = try FileLog.open(directory: data.logDirectory, options: options)
        if log.recovery.cutSomething {
            Output.line("recovered: cut \(log.recovery.cutBytes) bytes into \(log.recovery.quarantineFile ?? "quarantine")")
        }
        let start = monotonicSeconds()
        let last = try appendTicks(after: log.head.sequence) { try log.submit($0).lastSequence }
        try log.waitUntilDurable(last)
        try log.close()
        summary(seconds: monotonicSeconds() - start, head: last, fsync: fsync, store: nil)
    }

    /// Each append of `--chunk` ticks is one transaction; `durable SEQ` follows its commit.
    private func appendToPostgres(_ url: String) throws {
        let log = try PostgresStore.open(url: url)
        defer { try? log.close() }
        let start = monotonicSeconds()
        _ = try appendTicks(after: 0) { drafts in
            let last = try log.append(drafts).lastSequence
            Output.line("durable \(last)")
            return last
        }
        summary(seconds: monotonicSeconds() - start, head: try log.head.sequence, fsync: nil, store: log.location.description)
    }

    /// Appends `--events` ticks of `--seed`, `--chunk` at a time, through `append` (which returns
    /// the append's last sequence), paced by `--interval-ms`. Returns the last sequence appended.
    private func appendTicks(after head: UInt64, _ append: ([EventDraft]) throws -> UInt64) throws -> UInt64 {
        var ticks = SyntheticTicks(seed: seed)
        var remaining = events
        var last = head
        while remaining > 0 {
            let count = min(chunk, remaining)
            var drafts: [EventDraft] = []
            drafts.reserveCapacity(count)
            for _ in 0..<count { drafts.append(ticks.next()!) }
            last = try append(drafts)
            remaining -= count
            if intervalMs > 0 {
                // CLOCK_MONOTONIC, the clock another process on this machine reads too (Python's time.monotonic).
                var now = timespec()
                clock_gettime(CLOCK_MONOTONIC, &now)
                Output.line("appended \(last) \(Double(now.tv_sec) + Double(now.tv_nsec) / 1e9)")
                usleep(UInt32(intervalMs * 1_000))
            }
        }
        return last
    }

    private func summary(seconds: Double, head: UInt64, fsync: String?, store: String?) {
        Output.json { json in
            json.beginObject()
            json.key("appended"); json.int(events)
            json.key("events_per_second"); json.int(Int(Double(events) / max(seconds, 1e-9)))
            if let fsync { json.key("fsync"); json.string(fsync) }
            json.key("head_sequence"); json.uint(head)
            if let store { json.key("store"); json.string(store) }
            json.endObject()
        }
    }
}
