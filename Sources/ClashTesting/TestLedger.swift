import Clash
import LedgerLog
import Projections

extension Ledger {
    /// An in-memory ledger with a manual clock and seeded ids: what a test needs, in one call.
    public static func forTesting(seed: UInt64 = 1, clock: ManualClock = ManualClock(),
                                  projectors: [any Projector] = ReadModels.all) throws -> Ledger {
        try Ledger.inMemory(clock: clock, ids: SeededIds(seed: seed), projectors: projectors)
    }

    /// Appends `count` synthetic market ticks (deterministic by `seed`).
    @discardableResult
    public func appendTicks(_ count: Int, seed: UInt64 = 1) throws -> AppendResult? {
        var ticks = SyntheticTicks(seed: seed)
        var last: AppendResult?
        var left = count
        while left > 0 {
            let chunk = min(1_000, left)
            last = try append((0..<chunk).map { _ in ticks.next()! })
            left -= chunk
        }
        return last
    }
}
