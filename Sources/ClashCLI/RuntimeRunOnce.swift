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
        let records = try ledger.runOnce(clone, asset: asset, competition: competition, at: at, force: force,
                                         engine: try engine.engine(artifacts: ledger.artifacts))
        let lines = records.map(\.canonicalBytes)
        try report.print(objects: lines)
    }
}
