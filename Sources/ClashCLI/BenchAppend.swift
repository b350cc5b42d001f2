import ArgumentParser
import LedgerLog
import Clash

/// Appends synthetic ticks and reports each durable point, so that an outside crash test can kill
/// it at any moment and then check that every acknowledged event survived.
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

    func validate() throws {
        guard FsyncPolicy(name: fsync) != nil else { throw ValidationError("--fsync must be always, batch or none") }
        guard events >= 0, chunk >= 1, chunk <= LogLimits.batchRecordsMax else {
            throw ValidationError("--events must be >= 0 and --chunk 1...\(LogLimits.batchRecordsMax)")
        }
        guard segmentBytes >= LogLimits.segmentBytesMin else { throw ValidationError("--segment-bytes must be >= \(LogLimits.segmentBytesMin)") }
    }

    func execute() throws {
        let options = FileLogOptions(fsync: FsyncPolicy(name: fsync)!, segmentBytesMax: segmentBytes) { sequence in
            Output.line("durable \(sequence)")
        }
        let log = try FileLog.open(directory: data.logDirectory, options: options)
        if log.recovery.cutSomething {
            Output.line("recovered: cut \(log.recovery.cutBytes) bytes into \(log.recovery.quarantineFile ?? "quarantine")")
        }
        var ticks = SyntheticTicks(seed: seed)
        var remaining = events
        var last: UInt64 = log.head.sequence
        let start = monotonicSeconds()
        while remaining > 0 {
            let count = min(chunk, remaining)
            var drafts: [EventDraft] = []
            drafts.reserveCapacity(count)
            for _ in 0..<count { drafts.append(ticks.next()!) }
            last = try log.submit(drafts).lastSequence
            remaining -= count
        }
        try log.waitUntilDurable(last)
        try log.close()
        let seconds = monotonicSeconds() - start
        Output.json { json in
            json.beginObject()
            json.key("appended"); json.int(events)
            json.key("events_per_second"); json.int(Int(Double(events) / max(seconds, 1e-9)))
            json.key("fsync"); json.string(fsync)
            json.key("head_sequence"); json.uint(last)
            json.endObject()
        }
    }
}
