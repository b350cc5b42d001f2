import ArgumentParser
import Clash
import Foundation

struct AuditionsRun: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a clone's audition now over the 24 logged hours from its creation; print the verdict.",
        discussion: "The verdict (policy v1) names every figure behind it; a clone that passes enters the arena or its queue.")
    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var artifacts: ArtifactOptions
    @OptionGroup var engine: EngineOptions
    @OptionGroup var arena: ArenaOptions
    @Option(help: "The clone's id.") var clone: String

    func execute() throws {
        let ledger = try artifacts.open(data)
        defer { try? ledger.close() }
        let scheduler = try arena.scheduler(ledger, engine: engine)
        guard let market = try newestMarketMs(ledger) else { throw ValidationError("the log holds no market data to audition on") }
        guard let verdict = try scheduler.runAudition(clone, marketMs: market) else {
            throw ValidationError("the logged market ends at \(market); clone \(clone)'s audition needs its 24 hours from its creation logged first")
        }
        try report.print(objects: [try verdict.canonicalPayload()])
    }
}
