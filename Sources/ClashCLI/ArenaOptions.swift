import ArgumentParser
import Clash
import Foundation

/// The arena's settings on the command line (the same on every invocation of a deployment).
struct ArenaOptions: ParsableArguments {
    @Option(help: "Arena slots.") var slots: Int64 = ArenaDecider.slotCountDefault
    @Option(help: "Races open on the grid of this time (ms) every 6 hours (default: midnight UTC of 1970, so at 00, 06, 12 and 18 h UTC).")
    var origin: Int64 = 0
    @Flag(inversion: .prefixedNo, help: "Store every context packet in the artifact store.") var storePackets = true

    func scheduler(_ ledger: Ledger, engine: EngineOptions) throws -> ArenaScheduler {
        var settings = ArenaScheduler.Settings(originMs: origin)
        settings.slotCount = slots
        settings.storePackets = storePackets
        return ledger.arena(settings, engine: try engine.perClone(artifacts: ledger.artifacts))
    }
}

/// The newest market time the log holds (nil: none).
func newestMarketMs(_ ledger: Ledger) throws -> Int64? {
    try MarketReplica(log: ledger.log).newestInLog()
}
