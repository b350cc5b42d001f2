import Foundation

/// The packets of a step's runs, put together by whichever of two threads is free: the thread
/// that will decide them, and the one that moves the market once it has. Runs are taken an asset
/// at a time, so that an asset's view is built and read by one thread.
final class PacketAssembly: @unchecked Sendable {
    private let groups: [[TradingRun.PendingRun]]
    private let views: AssetViews
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var next = 0
    private var done = 0
    private var failures: [Int: any Error] = [:]

    init(_ runs: [TradingRun.PendingRun], views: AssetViews) {
        var order: [String] = []
        var byAsset: [String: [TradingRun.PendingRun]] = [:]
        for run in runs {
            if byAsset[run.plan.asset] == nil { order.append(run.plan.asset) }
            byAsset[run.plan.asset, default: []].append(run)
        }
        groups = order.map { byAsset[$0]! }
        self.views = views
    }

    /// Assembles assets until none is left to take; returns without waiting for those another
    /// thread is on.
    func help() {
        while let index = take() {
            let outcome = Result { for run in groups[index] { try run.assemble(views: views) } }
            condition.withLock {
                if case .failure(let error) = outcome { failures[index] = error }
                done += 1
                if done == groups.count { condition.broadcast() }
            }
        }
    }

    /// Helps, then waits until every packet is assembled; throws the failure of the first asset
    /// that failed, in the runs' order, whichever thread met it.
    func finish() throws {
        help()
        condition.lock()
        defer { condition.unlock() }
        while done < groups.count { condition.wait() }
        if let first = failures.keys.min() { throw failures[first]! }
    }

    private func take() -> Int? {
        condition.withLock {
            guard next < groups.count else { return nil }
            defer { next += 1 }
            return next
        }
    }
}
