import EventSchemas
import Foundation
import LedgerLog

/// How a market moves, so that a generated market can be held against a recorded one
/// (`clash market stats`): per asset the realized volatility of its 1-minute returns (and
/// annualized), its 24-hour move and its correlation with BTC; for the universe the median and 90th
/// percentile absolute 24-hour move.
///
/// Mids come from `market.tick` and `hyperliquid.mids` events (the last mid in each minute). Where an
/// asset has no minute series, its volatility comes from its shortest logged candles
/// (`hyperliquid.candles`), and where its series spans less than a day its 24-hour move comes from
/// the newest `hyperliquid.asset_contexts` (previous-day price to mark), as a recorded snapshot has
/// it. Statistics, not money: computed in floating point, for reading only.
public struct MarketStats {
    /// One asset's figures.
    public struct Asset: Sendable, Equatable {
        public var symbol: String
        /// Returns the volatility was measured on, and their interval (`1m`, or a candle interval).
        public var returns: Int
        public var volatilityInterval: String?
        /// Standard deviation of one interval's log return, and that scaled to a year (√ of intervals a year).
        public var volatility: Double?
        public var annualizedVolatility: Double?
        /// Price change over the last 24 hours of the window, as a fraction, and where it came from
        /// (`series` or `contexts`).
        public var move24h: Double?
        public var move24hSource: String?
        /// Pearson correlation of its 1-minute returns with BTC's over the minutes both have.
        public var correlationWithBTC: Double?
    }

    /// The whole universe's figures.
    public struct Report: Sendable, Equatable {
        public var assets: [Asset]
        public var medianAbsMove24h: Double?
        public var p90AbsMove24h: Double?
        public var medianAnnualizedVolatility: Double?
        public var fromMs: Int64?
        public var toMs: Int64?
    }

    let fromMs: Int64
    let toMs: Int64
    /// Per symbol: the last mid of each minute, by minute.
    private var minutes: [String: [Int64: Int64]] = [:]
    /// Per symbol: closes of its shortest candle interval, by open time, and that interval.
    private var candles: [String: (intervalMs: Int64, name: String, closes: [Int64: Int64])] = [:]
    /// Per symbol: the newest context's previous-day price and mark.
    private var contexts: [String: (prevDayE8: Int64, markE8: Int64)] = [:]
    private var firstMs: Int64?
    private var lastMs: Int64?

    public init(fromMs: Int64 = .min, toMs: Int64 = .max) {
        self.fromMs = fromMs
        self.toMs = toMs
    }

    /// The event types it reads.
    public static let eventTypes: Set<String> = [MarketTick.type, HyperliquidMids.type, HyperliquidCandles.type, HyperliquidAssetContexts.type]

    /// Takes in one logged event (others are ignored).
    public mutating func add(_ record: LogRecord) throws {
        guard Self.eventTypes.contains(record.type), record.timestampMs >= fromMs, record.timestampMs <= toMs else { return }
        let minute = record.timestampMs / 60_000
        switch try EventCatalog.decode(record) {
        case let tick as MarketTick:
            minutes[tick.symbol, default: [:]][minute] = tick.midE8
        case let mids as HyperliquidMids where mids.dex.isEmpty:
            for mid in mids.mids { minutes[mid.symbol, default: [:]][minute] = mid.midE8 }
        case let snapshot as HyperliquidCandles:
            guard let interval = Self.intervalMs[snapshot.interval] else { return }
            if let known = candles[snapshot.symbol], known.intervalMs < interval { return }
            if candles[snapshot.symbol]?.intervalMs != interval { candles[snapshot.symbol] = (interval, snapshot.interval, [:]) }
            for candle in snapshot.candles { candles[snapshot.symbol]!.closes[candle.openMs] = candle.closeE8 }
        case let rows as HyperliquidAssetContexts where rows.dex.isEmpty:
            for row in rows.contexts where row.prevDayPxE8 > 0 { contexts[row.symbol] = (row.prevDayPxE8, row.markPxE8) }
        default:
            return
        }
        firstMs = min(firstMs ?? record.timestampMs, record.timestampMs)
        lastMs = max(lastMs ?? record.timestampMs, record.timestampMs)
    }

    static let intervalMs: [String: Int64] = [
        "1m": 60_000, "3m": 180_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000, "1h": 3_600_000, "2h": 7_200_000,
        "4h": 14_400_000, "8h": 28_800_000, "12h": 43_200_000, "1d": 86_400_000,
    ]
    static let msPerYear = 365.0 * 86_400_000

    /// The figures of everything taken in.
    public func report() -> Report {
        let symbols = Set(minutes.keys).union(candles.keys).union(contexts.keys).sorted()
        let btcReturns = minuteReturns("BTC")
        var assets: [Asset] = []
        for symbol in symbols {
            var asset = Asset(symbol: symbol, returns: 0)
            let returns = minuteReturns(symbol)
            if returns.count >= 2 {
                asset.returns = returns.count
                asset.volatilityInterval = "1m"
                asset.volatility = Self.rootMeanSquare(Array(returns.values))
                asset.annualizedVolatility = asset.volatility.map { $0 * (Self.msPerYear / 60_000).squareRoot() }
                if symbol != "BTC" { asset.correlationWithBTC = Self.correlation(returns, btcReturns) }
            } else if let series = candles[symbol] {
                let closes = series.closes.sorted { $0.key < $1.key }
                let logReturns = zip(closes, closes.dropFirst()).compactMap { previous, next -> Double? in
                    guard next.key - previous.key == series.intervalMs, previous.value > 0, next.value > 0 else { return nil }
                    return log(Double(next.value) / Double(previous.value))
                }
                if logReturns.count >= 2 {
                    asset.returns = logReturns.count
                    asset.volatilityInterval = series.name
                    asset.volatility = Self.rootMeanSquare(logReturns)
                    asset.annualizedVolatility = asset.volatility.map { $0 * (Self.msPerYear / Double(series.intervalMs)).squareRoot() }
                }
            }
            if let series = minutes[symbol], let last = series.keys.max(), let first = series.keys.min(), last - first >= 1_440,
               let end = series[last], let start = series[last - 1_440] ?? series.filter({ $0.key <= last - 1_440 }).max(by: { $0.key < $1.key })?.value,
               start > 0 {
                asset.move24h = Double(end) / Double(start) - 1
                asset.move24hSource = "series"
            } else if let context = contexts[symbol] {
                asset.move24h = Double(context.markE8) / Double(context.prevDayE8) - 1
                asset.move24hSource = "contexts"
            }
            assets.append(asset)
        }
        let moves = assets.compactMap { $0.move24h.map(abs) }.sorted()
        let vols = assets.compactMap(\.annualizedVolatility).sorted()
        return Report(assets: assets, medianAbsMove24h: Self.quantile(moves, 0.5), p90AbsMove24h: Self.quantile(moves, 0.9),
                      medianAnnualizedVolatility: Self.quantile(vols, 0.5), fromMs: firstMs, toMs: lastMs)
    }

    /// Log returns between consecutive minutes, by the later minute.
    func minuteReturns(_ symbol: String) -> [Int64: Double] {
        guard let series = minutes[symbol] else { return [:] }
        var returns: [Int64: Double] = [:]
        for (minute, mid) in series {
            guard let previous = series[minute - 1], previous > 0, mid > 0 else { continue }
            returns[minute] = log(Double(mid) / Double(previous))
        }
        return returns
    }

    static func rootMeanSquare(_ values: [Double]) -> Double {
        (values.reduce(0) { $0 + $1 * $1 } / Double(values.count)).squareRoot()
    }

    static func correlation(_ a: [Int64: Double], _ b: [Int64: Double]) -> Double? {
        let pairs = a.compactMap { minute, value in b[minute].map { (value, $0) } }
        guard pairs.count >= 3 else { return nil }
        let n = Double(pairs.count)
        let meanA = pairs.reduce(0) { $0 + $1.0 } / n
        let meanB = pairs.reduce(0) { $0 + $1.1 } / n
        var covariance = 0.0, varianceA = 0.0, varianceB = 0.0
        for (x, y) in pairs {
            covariance += (x - meanA) * (y - meanB)
            varianceA += (x - meanA) * (x - meanA)
            varianceB += (y - meanB) * (y - meanB)
        }
        guard varianceA > 0, varianceB > 0 else { return nil }
        return covariance / (varianceA * varianceB).squareRoot()
    }

    /// The q-quantile of sorted values (nearest rank), nil when there are none.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        return sorted[min(sorted.count - 1, Int((q * Double(sorted.count - 1)).rounded()))]
    }
}
