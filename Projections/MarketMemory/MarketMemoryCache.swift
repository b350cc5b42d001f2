import ClashCore
import LedgerLog

/// The parts of a view read from `market_memory` alone that no time bounds — an asset's universe
/// row, its categories, its book, the Polymarket markets that mention it (their first-seen time
/// is compared with the view's time after the read) — kept between views while the market moves
/// forward (a market replica stepping minute by minute). Market memory changes only when its fold
/// applies an event, so `folding` forgets everything when it sees one; ticks go to `market_ticks`.
public final class MarketMemoryCache {
    var assets: [String: AssetMemory.AssetRow?] = [:]
    var categories: [String: [String]] = [:]
    var liquidity: [String: AssetLatest.Liquidity] = [:]
    var polymarket: [String: [AssetMemory.PolymarketRow]] = [:]
    private let types = MarketMemoryProjector().eventTypes ?? []

    public init() {}

    /// The part of `symbol` kept in `parts`, else `read` and kept.
    func kept<Value>(_ parts: ReferenceWritableKeyPath<MarketMemoryCache, [String: Value]>, _ symbol: String,
                     _ read: () throws -> Value) rethrows -> Value {
        if let known = self[keyPath: parts][symbol] { return known }
        let value = try read()
        self[keyPath: parts][symbol] = value
        return value
    }

    /// Forgets everything when `records` hold an event market memory folds.
    public func folding(_ records: [LogRecord]) {
        var lastType = ""
        for record in records where record.type != lastType {
            lastType = record.type
            if types.contains(record.type) {
                assets = [:]
                categories = [:]
                liquidity = [:]
                polymarket = [:]
                return
            }
        }
    }
}
