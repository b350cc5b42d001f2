import Market
import Runtime

extension CandleFeed {
    /// Keeps fresh the candle series a worker's clones read now (`RuntimeWorker.candleReads`).
    public func want(reads: [RuntimeWorker.CandleRead]) {
        want(reads.map {
            Need(symbol: $0.symbol, interval: $0.interval, intervalMs: $0.intervalMs, lookback: $0.lookback, loggedThroughMs: $0.loggedThroughMs)
        })
    }
}
