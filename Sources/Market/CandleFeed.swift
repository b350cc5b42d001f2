import Foundation

/// The exchange candles live trading reads, fetched from Hyperliquid's `candleSnapshot` and logged
/// as `hyperliquid.candles` events, so a replay builds the same packets from the log alone.
///
/// The worker says which candles its clones' plans read (`want`): an asset, an interval and how
/// many candles back. A candle series new to the feed is backfilled over its lookback; after that
/// each interval is asked for once it closes, from the candle after the newest one logged. Only
/// closed candles are logged (`IngestRequest.closedBeforeMs`): the open one still changes. A
/// request that fails is tried again after `Poller.retryDelaySeconds` of `retrySeconds`, backing
/// off the same way polled requests do.
public final class CandleFeed: @unchecked Sendable {
    /// One candle series the plans read.
    public struct Need: Hashable, Sendable {
        public var symbol: String
        public var interval: String
        public var intervalMs: Int64
        /// How many candles the plans look back over (the backfill).
        public var lookback: Int
        /// The open time of the newest candle of this series the reader's market memory holds (a
        /// restarted worker's log), so it is not fetched again.
        public var loggedThroughMs: Int64?

        public init(symbol: String, interval: String, intervalMs: Int64, lookback: Int, loggedThroughMs: Int64? = nil) {
            self.symbol = symbol
            self.interval = interval
            self.intervalMs = intervalMs
            self.lookback = lookback
            self.loggedThroughMs = loggedThroughMs
        }

        var key: String { symbol + " " + interval }
    }

    /// The wait after a first failure, seconds (doubling after `Poller.backOffAfter` in a row).
    public static let retrySeconds = 10

    private let lock = NSLock()
    private var needs: [String: Need] = [:]
    /// Per series: the open time of the newest closed candle asked for and answered.
    private var through: [String: Int64] = [:]
    private var failures: [String: (inARow: Int, retryAtMs: Int64)] = [:]

    public init() {}

    /// The series to keep fresh from now on (the others are no longer fetched).
    public func want(_ needs: [Need]) {
        lock.withLock {
            var wanted: [String: Need] = [:]
            for need in needs {
                var merged = need
                if let other = wanted[need.key] {
                    merged.lookback = max(other.lookback, need.lookback)
                    merged.loggedThroughMs = [other.loggedThroughMs, need.loggedThroughMs].compactMap { $0 }.max()
                }
                wanted[need.key] = merged
            }
            self.needs = wanted
        }
    }

    /// The requests due at `nowMs`: each series whose newest closed candle is not logged yet.
    public func due(nowMs: Int64) -> [IngestRequest] {
        lock.withLock {
            needs.keys.sorted().compactMap { key -> IngestRequest? in
                let need = needs[key]!
                let length = need.intervalMs
                let newestClosed = Self.floor(nowMs, length) - length
                let logged = [through[key], need.loggedThroughMs].compactMap { $0 }.max()
                if let logged, logged >= newestClosed { return nil }
                if let failure = failures[key], failure.retryAtMs > nowMs { return nil }
                // From the candle after the newest logged, never further back than the lookback.
                let backfillStart = newestClosed - Int64(max(need.lookback, 1) - 1) * length
                guard var request = try? IngestRequest(source: .hyperliquid, kind: HyperliquidRequest.candleSnapshot.rawValue) else { return nil }
                request.symbol = need.symbol
                request.interval = need.interval
                request.startMs = max(backfillStart, logged.map { $0 + length } ?? backfillStart)
                request.endMs = nowMs
                request.closedBeforeMs = nowMs
                return request
            }
        }
    }

    /// Takes what a due request came to: answered, its series is logged through the newest candle
    /// closed by then (an asset with no candles yet is asked again at the next close); failed, it
    /// waits. Returns the outcome with this series' failures in a row and the wait.
    public func finished(_ outcome: Poller.Outcome, nowMs: Int64) -> Poller.Outcome {
        lock.withLock {
            switch outcome {
            case let .appended(request, drafts, result, _):
                let key = (request.symbol ?? "") + " " + request.interval
                let afterFailures = failures[key]?.inARow ?? 0
                failures[key] = nil
                if let need = needs[key], let end = request.endMs {
                    through[key] = max(through[key] ?? .min, Self.floor(end, need.intervalMs) - need.intervalMs)
                }
                return .appended(request, drafts: drafts, result: result, afterFailures: afterFailures)
            case let .failed(request, error, _, _):
                let key = (request.symbol ?? "") + " " + request.interval
                let inARow = (failures[key]?.inARow ?? 0) + 1
                let delay = Poller.retryDelaySeconds(everySeconds: Self.retrySeconds, inARow: inARow)
                failures[key] = (inARow, nowMs + Int64(delay) * 1_000)
                return .failed(request, error, inARow: inARow, retryInSeconds: delay)
            }
        }
    }

    static func floor(_ ms: Int64, _ length: Int64) -> Int64 { ms - ((ms % length) + length) % length }
}
