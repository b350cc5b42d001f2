import ArgumentParser
import Clash
import Foundation
import Market

struct RuntimeWorkerCommand: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Trade clones in real time as the market is logged; one JSON line per cycle that did something.",
        discussion: """
            Each cycle steps every active clone (or each --clone) from where the log leaves it to the newest logged market \
            minute: marks, stop losses and take profits, hourly funding and liquidation on every minute, and the runs due \
            now. Runs that came due while no worker ran are recorded as runtime.run_skipped, never run late. With --ingest \
            the worker also polls the market sources (the options of `clash ingest run`) and appends what they answer: the \
            data directory has one writer at a time, so this is how the runtime follows a live market. It also fetches \
            the exchange candles the clones' plans read (candleSnapshot: backfilled over the lookback when a clone or an \
            asset joins, then each interval as it closes) and logs them as hyperliquid.candles, so packets carry fresh \
            candles and a replay the same ones. SIGINT or SIGTERM finishes the current cycle and exits 0.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var artifacts: ArtifactOptions
    @OptionGroup var engine: EngineOptions
    @Option(help: "The competition the accounts belong to.") var competition = "free"
    @Option(name: .customLong("clone"), help: "A clone to trade (repeat for more; default: every clone not retired).") var clones: [String] = []
    @Option(help: "Seconds between cycles.") var pollSeconds: Double = 5
    @Flag(help: "One cycle, then exit.") var once = false
    @Flag(help: "Poll the market sources too, appending what they answer.") var ingest = false
    @OptionGroup var sources: SourceOptions
    @OptionGroup var polling: PollOptions

    func execute() throws {
        guard pollSeconds > 0 else { throw ValidationError("--poll-seconds must be above 0") }
        let stop = StopSignal()
        let ledger = try artifacts.open(data)
        defer { try? ledger.close() }
        // One model engine for every clone (its concurrency limit holds over all of them), or the
        // rules engine seeded by the clone's id, whatever order the worker finds the clones in.
        let worker = try RuntimeWorker(log: ledger.log, artifacts: ledger.artifacts,
                                       settings: .init(competitionId: competition, cloneIds: clones.isEmpty ? nil : clones),
                                       engine: try engine.perClone(artifacts: ledger.artifacts))
        let ingestion = DispatchGroup()
        let candles = ingest ? CandleFeed() : nil
        if ingest {
            nonisolated(unsafe) let poller = try polling.poller(sources: sources, log: ledger.log, candles: candles)
            ingestion.enter()
            Thread {
                defer { ingestion.leave() }
                do {
                    _ = try poller.run(rounds: nil, shouldStop: { stop.requested }) { polling.report($0, jobs: poller.jobs) }
                } catch {
                    Output.error("ingestion stopped: \(error)")
                }
            }.start()
        }
        let loop = RuntimeLoop(worker: worker, candles: candles, pollSeconds: pollSeconds)
        let cycles = try loop.run(once: once, shouldStop: { stop.requested }, note: { Output.note($0) }) { cycle in
            guard cycle.events > 0 || once else { return }
            Output.json { json in
                json.beginObject()
                json.key("events"); json.int(cycle.events)
                json.key("fills"); json.int(cycle.fills)
                json.key("market_ms"); if let ms = cycle.marketMs { json.int(ms) } else { json.null() }
                json.key("runs"); json.int(cycle.runs)
                json.key("skipped"); json.int(cycle.skipped)
                json.endObject()
            }
        }
        ingestion.wait()
        // A stop asked for (SIGTERM, SIGINT) or a single cycle is a normal end: said as a note, exit 0.
        Output.note("worker stopped after \(cycles) cycle\(cycles == 1 ? "" : "s")\(stop.requested ? " (stop requested)" : "")")
    }
}
