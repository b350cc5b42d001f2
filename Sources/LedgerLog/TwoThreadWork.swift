import Dispatch
import Foundation

/// Shares a sequence of jobs between the calling thread and one helper thread, and hands every
/// result to the caller in job order, on its own thread.
///
/// Jobs are claimed in order by whichever thread is free. When the next job in order is free, the
/// caller does it itself, straight through (`own`: nothing is kept). Otherwise a job's result is
/// made (`work`) and kept until its turn comes (`consume`); the caller also works ahead this way
/// rather than wait for the helper. At most `window` jobs are claimed beyond the one the caller is
/// at, which bounds what is kept. `next` and `work` run on either thread: they may touch only what
/// is safe to share.
final class TwoThreadWork<Job, Output>: @unchecked Sendable {
    private let window: Int
    private let next: () -> Job?
    private let work: (Job) -> Output
    /// Whether a result ends the work (for example, a failure): nothing after it is claimed.
    private let isFinal: (Output) -> Bool

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var claimed = 0
    private var consumed = 0
    private var outputs: [Int: Output] = [:]
    private var exhausted = false
    private var stopping = false
    private var helperRunning = false

    init(window: Int = 3, next: @escaping () -> Job?, work: @escaping (Job) -> Output,
         isFinal: @escaping (Output) -> Bool = { _ in false }) {
        self.window = window
        self.next = next
        self.work = work
        self.isFinal = isFinal
    }

    /// Runs until the jobs run out, or `own` or `consume` returns false or throws. The helper has
    /// stopped (or will stop without touching anything) when this returns.
    func run(own: (Job) throws -> Bool, consume: (Output) throws -> Bool) throws {
        // The helper is a help, not a need: when no pool thread is free, the caller does every
        // job, and a helper that starts after the end leaves at once.
        DispatchQueue.global(qos: .userInitiated).async { [self] in runHelper() }
        defer { stopHelper() }
        condition.lock()
        while true {
            if let output = outputs.removeValue(forKey: consumed) {
                consumed += 1
                condition.broadcast()
                condition.unlock()
                if try !consume(output) { return }
            } else if claimed == consumed {
                guard let job = claim() else {
                    condition.unlock()
                    return
                }
                consumed += 1
                condition.broadcast()
                condition.unlock()
                if try !own(job) { return }
            } else if claimed - consumed < window, let (index, job) = claimIndexed() {
                condition.unlock()
                let output = work(job)
                condition.lock()
                keep(output, at: index)
                continue
            } else {
                condition.wait()
                continue
            }
            condition.lock()
        }
    }

    /// The next job (lock held), or nil when there is none left or the work has ended.
    private func claim() -> Job? {
        guard !exhausted, let job = next() else {
            exhausted = true
            return nil
        }
        claimed += 1
        return job
    }

    private func claimIndexed() -> (Int, Job)? {
        let index = claimed
        return claim().map { (index, $0) }
    }

    private func keep(_ output: Output, at index: Int) {
        outputs[index] = output
        if isFinal(output) { exhausted = true }
        condition.broadcast()
    }

    private func runHelper() {
        condition.lock()
        guard !stopping else {
            condition.unlock()
            return
        }
        helperRunning = true
        while true {
            while !stopping && !exhausted && claimed - consumed >= window { condition.wait() }
            guard !stopping, let (index, job) = claimIndexed() else { break }
            condition.unlock()
            let output = work(job)
            condition.lock()
            keep(output, at: index)
        }
        helperRunning = false
        condition.broadcast()
        condition.unlock()
    }

    private func stopHelper() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while helperRunning { condition.wait() }
        condition.unlock()
    }
}
