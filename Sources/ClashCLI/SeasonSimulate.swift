import ArgumentParser
import Clash
import Foundation

/// The whole product loop on a synthetic market, into a new data directory: clones with varied
/// strategies, their auditions, the queue, races with seeded spectators buying tickets,
/// settlements and retirements; then the last race's ranking and settlement, the leaderboard and
/// the Hall of Fame.
struct SeasonSimulate: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a season on a synthetic market into a new data directory; print its summary as JSON.",
        discussion: """
            The market starts at 2024-06-01 00:00 UTC; the clones are created then and audition over the first 24 hours (every \
            fifth clone decides only every 4 hours: its audition fails and its owner retires it); a race opens every 6 hours \
            from then on, accumulates tickets for 6 hours and runs for 6. Spectators buy 1 to 5 tickets each on the \
            accumulating race an hour after it opens. The same seed gives the same log, byte for byte.
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "Clones created.") var clones = 12
    @Option(help: "Races run (each 6 hours, one opening every 6 hours).") var races = 4
    @Option(help: "Spectators buying tickets on each race.") var spectators = 20
    @Option(help: "Perpetuals in the market.") var assets = 10
    @Option(help: "Every clone's cadence: 1m, 5m, 15m or 1h.") var cadence = "5m"
    @Option(help: "Arena slots.") var slots: Int64 = ArenaDecider.slotCountDefault
    @OptionGroup var engine: EngineOptions
    @Flag(inversion: .prefixedNo, help: "Store every context packet in the artifact store.") var storePackets = true
    @Flag(help: "No progress lines on standard error.") var quiet = false
    /// `--seed` seeds the market, the strategies, the spectators and the rules engine.
    var seed: UInt64 { engine.seed }


    func validate() throws {
        guard clones >= 1, races >= 1, spectators >= 0, assets >= 1, slots >= 1 else {
            throw ValidationError("--clones, --races, --assets and --slots must be at least 1, --spectators at least 0")
        }
        guard ["1m", "5m", "15m", "1h"].contains(cadence) else { throw ValidationError("--cadence must be 1m, 5m, 15m or 1h") }
    }

    func execute() throws {
        if data.missingLog == nil {
            throw ValidationError("\(data.directory) already holds a log; a season is simulated into a new data directory (give another --data)")
        }
        let began = monotonicSeconds()
        let ledger = try Ledger.open(directory: data.directory, store: data.storeURL, clock: FixedClock(Season.start), ids: SeededIds(seed: seed, prefix: "season"))
        defer { try? ledger.close() }
        let season = try Season.run(ledger: ledger, seed: seed, clones: clones, races: races, spectators: spectators, assets: assets,
                                    cadence: cadence, slots: slots, engine: try engine.perClone(artifacts: ledger.artifacts), storePackets: storePackets,
                                    progress: quiet ? nil : { Output.progress($0) })
        try ledger.project()
        let seconds = monotonicSeconds() - began
        try Season.printSummary(ledger, season: season, seconds: seconds)
    }
}
