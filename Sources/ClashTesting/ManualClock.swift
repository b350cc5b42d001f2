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

