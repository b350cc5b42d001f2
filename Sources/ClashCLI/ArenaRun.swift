import ArgumentParser
import Clash
import Foundation

struct ArenaRun: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The scheduler: auditions, promotions, races opened, started, ended and settled, retirements.",
        discussion: """
            With --simulated it does everything due up to --until (default: the newest logged market time) as fast as the machine \
            goes, and exits. Without, it follows the clock: every --poll-seconds it does what is due up to the newest logged market \
            time, until SIGINT or SIGTERM, which finish the current step and exit 0.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var artifacts: ArtifactOptions
    @OptionGroup var engine: EngineOptions
    @OptionGroup var arena: ArenaOptions
    @Flag(help: "Simulated time: run to --until and exit.") var simulated = false
    @Option(help: "With --simulated: up to this time, ms (default: the newest logged market time).") var until: Int64?
    @Option(help: "Seconds between looks at the log in real time.") var pollSeconds: Double = 5

    func execute() throws {
        let stop = StopSignal()
        let ledger = try artifacts.open(data)
        defer { try? ledger.close() }
        let loop = ArenaLoop(scheduler: try arena.scheduler(ledger, engine: engine), log: ledger.log, pollSeconds: pollSeconds)
        let total = simulated ? try loop.step(until: until ?? .max) { Output.progress($0) }
            : try loop.run(shouldStop: { stop.requested }) { Output.progress($0) }
        Output.json { json in
            json.beginObject()
            json.key("auditions_failed"); json.int(total.auditionsFailed)
            json.key("auditions_passed"); json.int(total.auditionsPassed)
            json.key("decisions"); json.int(total.decisions)
            json.key("races_cancelled"); json.int(total.racesCancelled)
            json.key("races_opened"); json.int(total.racesOpened)
            json.key("races_settled"); json.int(total.racesSettled)
            json.key("races_started"); json.int(total.racesStarted)
            json.key("retirements"); json.int(total.retirements)
            json.endObject()
        }
    }
}
