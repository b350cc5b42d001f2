import Clash
import Foundation

/// Folds new events into a ledger's read models on a thread of its own, every tenth of a second,
/// while the caller appends — as a deployment's projections follow its runtime. The caller must
/// not fold them itself meanwhile; `finish` stops the thread and reports its error, if any.
final class ProjectionFollower: @unchecked Sendable {
    private let ledger: Ledger
    private let condition = NSCondition()
    private var stopping = false
    private var stopped = false
    private var failure: Error?

    init(_ ledger: Ledger) {
        self.ledger = ledger
        Thread { [self] in follow() }.start()
    }

    private func follow() {
        while !isStopping {
            do {
                _ = try ledger.project()
            } catch {
                condition.withLock { failure = error }
                break
            }
            usleep(100_000)
        }
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
    }

    private var isStopping: Bool { condition.withLock { stopping } }

    /// Stops following (after the fold under way) and throws what stopped it early, if anything did.
    func finish() throws {
        condition.lock()
        stopping = true
        while !stopped { condition.wait() }
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
    }
}
