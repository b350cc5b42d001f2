import Foundation
import Market
import Runtime

/// The decision runtime in real time: every `pollSeconds` a cycle of the worker (every active
/// clone stepped to the newest logged market minute), the candle series its clones read handed to
/// the candle feed (when ingestion fetches them), and a note when a clone starts waiting for its
/// strategy to validate and when it trades again. What `clash runtime worker` and
/// `clash serve --run-arena` run.
public struct RuntimeLoop {
    public let worker: RuntimeWorker
    public let candles: CandleFeed?
    public var pollSeconds: Double

    public init(worker: RuntimeWorker, candles: CandleFeed?, pollSeconds: Double) {
        self.worker = worker
        self.candles = candles
        self.pollSeconds = pollSeconds
    }

    /// Cycles until `shouldStop` (or once); `cycled` hears each cycle, `note` what people should
    /// know. Returns the cycles run. On a shared log it first takes the runtime worker's lease
    /// (`ManagerLease`).
    @discardableResult
    public func run(once: Bool = false, shouldStop: () -> Bool, note: (String) -> Void, cycled: (RuntimeWorker.Cycle) -> Void = { _ in }) throws -> Int {
        var cycles = 0
        var waiting: Set<String> = []
        guard let lease = try ManagerLease.take("runtime worker", log: worker.log, note: note, shouldStop: shouldStop) else { return cycles }
        defer { lease.release() }
        while !shouldStop() {
            try lease.check()
            let cycle = try worker.cycle()
            cycles += 1
            candles?.want(reads: try worker.candleReads())
            // Said once when a clone starts waiting, once when it trades again.
            for (clone, code) in cycle.waiting.sorted(by: { $0.key < $1.key }) where !waiting.contains(clone) {
                note("\(clone) waits: its strategy does not validate against the market at \(cycle.marketMs ?? 0) ms [\(code)]; it trades again from the first minute it does, the other clones trade on")
            }
            for clone in waiting.subtracting(cycle.waiting.keys).sorted() { note("\(clone) trades again") }
            waiting = Set(cycle.waiting.keys)
            cycled(cycle)
            if once { break }
            var waited = 0.0
            while waited < pollSeconds, !shouldStop() {
                Thread.sleep(forTimeInterval: min(0.1, pollSeconds))
                waited += 0.1
            }
        }
        return cycles
    }
}
