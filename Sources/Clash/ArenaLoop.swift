import Foundation
import Runtime

/// The arena in real time: every `pollSeconds` the scheduler does what is due up to the newest
/// logged market time (auditions, promotions, races opened, started, ended and settled,
/// retirements), until told to stop. What `clash arena run` and `clash serve --run-arena` run.
public struct ArenaLoop {
    public let scheduler: ArenaScheduler
    public let log: any LogStore
    public var pollSeconds: Double

    public init(scheduler: ArenaScheduler, log: any LogStore, pollSeconds: Double) {
        self.scheduler = scheduler
        self.log = log
        self.pollSeconds = pollSeconds
    }

    /// One step: what is due up to the newest market time (or `until`, if earlier).
    public func step(until: Int64 = .max, progress: @escaping (String) -> Void = { _ in }) throws -> ArenaScheduler.Report {
        guard let newest = try MarketReplica(log: log).newestInLog() else { return ArenaScheduler.Report() }
        return try scheduler.advance(to: min(until, newest), progress: progress)
    }

    /// Steps until `shouldStop` (looked at every tenth of a second between steps); the reports added
    /// up. On a shared log it first takes the arena scheduler's lease (`ManagerLease`).
    public func run(shouldStop: () -> Bool, progress: @escaping (String) -> Void = { _ in }) throws -> ArenaScheduler.Report {
        var total = ArenaScheduler.Report()
        guard let lease = try ManagerLease.take("arena scheduler", log: log, note: progress, shouldStop: shouldStop) else { return total }
        defer { lease.release() }
        while !shouldStop() {
            try lease.check()
            total += try step(progress: progress)
            var waited = 0.0
            while waited < pollSeconds, !shouldStop() {
                Thread.sleep(forTimeInterval: 0.1)
                waited += 0.1
            }
        }
        return total
    }
}
