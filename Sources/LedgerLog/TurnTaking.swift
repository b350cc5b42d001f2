import Dispatch
import Foundation

/// Shares a sequence of jobs between the calling thread and one helper thread, turn about: the
/// caller handles a job itself (`own`), the helper does the next one (`work`) meanwhile, and the
/// caller then takes the helper's output (`consume`). Everything the caller sees arrives in job
/// order, on its own thread. The helper claims a job only right after one the caller claimed, so
/// the two share the work when the caller's part is quick, and the helper stays one job ahead when
/// it is slow. `next` and `work` run on either thread: they may touch only what is safe to share.
final class TurnTaking<Job, Output>: @unchecked Sendable {
    private let next: () -> Job?
    private let work: (Job) -> Output
    /// Whether an output ends the helper's part (for example, a failure).
    private let isFinal: (Output) -> Bool

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var claimed = 0
    private var consumed = 0
    private var lastClaimedByHelper = true
    private var outputs: [Int: Output] = [:]
    private var stopping = false
    private var helperRunning = false

    init(next: @escaping () -> Job?, work: @escaping (Job) -> Output, isFinal: @escaping (Output) -> Bool = { _ in false }) {
        self.next = next
        self.work = work
        self.isFinal = isFinal
    }

    /// Runs until the jobs run out, or `own` or `consume` returns false or throws. The helper has
    /// stopped when this returns.
    func run(own: (Job) throws -> Bool, consume: (Output) throws -> Bool) throws {
        helperRunning = true
        DispatchQueue.global(qos: .userInitiated).async { [self] in runHelper() }
        defer { stopHelper() }
        condition.lock()
        while true {
            if consumed < claimed {
                let index = consumed
                while outputs[index] == nil { condition.wait() }
                let output = outputs.removeValue(forKey: index)!
                consumed += 1
                condition.broadcast()
                condition.unlock()
                if try !consume(output) { return }
            } else {
                guard let job = next() else {
                    condition.unlock()
                    return
                }
                claimed += 1
                consumed += 1
                lastClaimedByHelper = false
                condition.broadcast()
                condition.unlock()
                if try !own(job) { return }
            }
            condition.lock()
        }
    }

    private func runHelper() {
        condition.lock()
        while true {
            while !stopping && (lastClaimedByHelper || claimed > consumed) { condition.wait() }
            guard !stopping, let job = next() else { break }
            let index = claimed
            claimed += 1
            lastClaimedByHelper = true
            condition.unlock()
            let output = work(job)
            condition.lock()
            outputs[index] = output
            condition.broadcast()
            if isFinal(output) { break }
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
