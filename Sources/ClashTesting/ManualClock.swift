import Clash
import ClashCore
import Foundation

/// A clock that moves only when told: tests and simulations decide what time it is.
public final class ManualClock: LedgerClock, @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64

    public init(startMilliseconds: Int64 = 1_717_200_000_000) {
        now = startMilliseconds
    }

    public func nowMilliseconds() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        return now
    }

    /// Moves the clock forward.
    public func advance(byMilliseconds delta: Int64) {
        precondition(delta >= 0, "a clock does not go back")
        lock.lock()
        now += delta
        lock.unlock()
    }
}

/// Deterministic event ids from a seed: the same test writes the same log, byte for byte.
public final class SeededIds: IdGenerator, @unchecked Sendable {
    private let lock = NSLock()
    private var random: SplitMix64
    private let prefix: String

    public init(seed: UInt64, prefix: String = "evt") {
        random = SplitMix64(seed: seed)
        self.prefix = prefix
    }

    public func next() -> String {
        lock.lock()
        defer { lock.unlock() }
        return prefix + "-" + String(random.next(), radix: 16)
    }
}
