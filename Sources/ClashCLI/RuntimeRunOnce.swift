import ArgumentParser
import Clash
import Foundation

struct RuntimeRunOnce: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-once",
        abstract: "One run of a clone on one asset, now or at --at; prints its path, an event each (packet, decision, gate, order, fill), as a table or JSON lines.",
        discussion: "Refused when the asset's previous run in the competition is closer than its cadence, unless --force.")

    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var artifacts: ArtifactOptions
    @Option(help: "The clone's id.") var clone: String
    @Option(help: "The asset.") var asset: String
    @Option(help: "The time in ms (default: the newest market event's time).") var at: Int64?
    @Flag(help: "Run even when the asset's previous run is closer than its cadence.") var force = false
    @OptionGroup var engine: EngineOptions
    @Option(help: "The competition.") var competition = "free"

    func execute() throws {
        let ledger = try artifacts.open(data)
        defer { try? ledger.close() }
        let state = try ledger.cloneState(clone)
        guard state.exists, !state.retired else { throw DomainError("clone.unknown", "no active clone has id \(clone); `clash clones list` shows the clones") }
        let graph = try ledger.strategy(of: clone)
        let time: Int64
        if let at { time = at } else {
            let replica = try MarketReplica(log: ledger.log)
            try replica.advanceToNewest()
            time = replica.asOfMs
        }
        let previous = try ledger.log.read(stream: Streams.run(clone: clone, competition: competition)).filter { $0.type == RunDue.type }
            .map { (record: $0, due: try EventCatalog.decode($0, as: RunDue.self)) }.last { $0.due.asset == asset && $0.record.timestampMs <= time }
        if let previous, !force, time - previous.record.timestampMs < previous.due.cadenceMs {
            throw ValidationError("\(asset)'s last run was at \(previous.record.timestampMs), less than its cadence of \(previous.due.cadenceMs) ms before \(time); --force runs it anyway")
        }
        let run = try TradingRun(log: ledger.log, artifacts: ledger.artifacts, graph: graph, engine: try engine.engine(artifacts: ledger.artifacts),
                                 settings: TradingRun.Settings(cloneId: clone, competitionId: competition, fromMs: time, toMs: time + 1,
                                                               onlyAsset: asset))
        let summary = try run.run()
        guard summary.runs == 1 else {
            throw ValidationError("clone \(clone)'s strategy trades no \(asset) as of \(time); `clash pipeline preview --clone \(clone)` lists its assets")
        }
        let runId = "run-\(clone)-\(competition)-"
        var lines: [[UInt8]] = []
        for stream in [Streams.run(clone: clone, competition: competition), Streams.account(clone: clone, competition: competition)] {
            for record in try ledger.log.read(stream: stream) where record.timestampMs == time && (record.correlationId ?? "").hasPrefix(runId)
                && (record.correlationId ?? "").hasSuffix("-\(asset)-\(time)") {
                var writer = CanonicalJSONWriter()
                RecordCodec.encode(record, into: &writer)
                lines.append(writer.bytes)
            }
        }
        try report.print(objects: lines)
    }
}
