import Foundation

/// Repeats a piece of work on a thread of its own, every `interval` seconds, until `finish`: read
/// models following the log while a season or a benchmark appends, a Merkle tree kept caught up
/// while a race trades. The caller must not touch what the work touches meanwhile; `finish` stops
/// the thread (after the round under way) and throws what stopped it early, if anything did.
public final class PeriodicWork: @unchecked Sendable {
    private let work: () throws -> Void
    private let interval: Double
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var stopping = false
    private var stopped = false
    private var failure: (any Error)?

    public init(every interval: Double = 0.1, _ work: @escaping () throws -> Void) {
        self.work = work
        self.interval = interval
        Thread { [self] in follow() }.start()
    }

    private func follow() {
        while true {
            do {
                try work()
            } catch {
                condition.withLock { failure = error }
                break
            }
            let more = condition.withLock {
                if !stopping { _ = condition.wait(until: Date(timeIntervalSinceNow: interval)) }
                return !stopping
            }
            if !more { break }
        }
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
    }

    /// Stops following (after the round under way) and throws what stopped it early, if anything did.
    public func finish() throws {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !stopped { condition.wait() }
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
    }
}
