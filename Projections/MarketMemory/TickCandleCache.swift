import ClashCore
import LedgerLog

/// The tick candles market memory has read, per symbol and interval, kept between reads while the
/// market moves forward (a market replica stepping minute by minute): a candle changes only when a
/// tick inside it is folded, so a view reads the candles the fold touched, not every candle of its
/// windows again. `folding` must see every tick before it is folded; what it names is forgotten.
public final class TickCandleCache {
    /// Every candle of a symbol and interval starting in [from, through], in time order.
    struct Entry {
        var from: Int64
        var through: Int64
        var rows: [AssetLatest.Candle]
    }

    /// By symbol, one per interval of `CandleIntervals.all`.
    private var entries: [String: [Entry?]] = [:]

    public init() {}

    /// Forgets what folding `records` changes: for each tick, the candle holding its time in every
    /// interval, and every later one.
    public func folding(_ records: [LogRecord]) throws {
        guard !entries.isEmpty else { return }
        for record in records where record.type == MarketTicksProjector.eventType {
            var symbol: String?
            try PayloadFields.scan(record.payload) { key, value in
                if case .string(let text) = value, PayloadFields.key(key, is: "symbol") { symbol = text }
            }
            if let symbol { forget(symbol, from: record.timestampMs) }
        }
    }

    func forget(_ symbol: String, from ms: Int64) {
        guard var intervals = entries[symbol] else { return }
        for (index, interval) in CandleIntervals.all.enumerated() {
            guard var entry = intervals[index] else { continue }
            let start = CandleIntervals.floor(ms, interval.milliseconds)
            guard entry.through >= start else { continue }
            entry.through = start - interval.milliseconds
            while let last = entry.rows.last, last.openMs >= start { entry.rows.removeLast() }
            intervals[index] = entry.through >= entry.from ? entry : nil
        }
        entries[symbol] = intervals
    }

    /// Every candle of `symbol` in interval `index` starting in [from, through] (aligned starts), in
    /// time order: those kept, and what is not kept read with `read(from, through)` (in time order).
    /// Candles before `from` are let go: the market only moves forward.
    func candles(_ symbol: String, interval index: Int, from: Int64, through: Int64,
                 read: (Int64, Int64) throws -> [AssetLatest.Candle]) rethrows -> [AssetLatest.Candle] {
        let length = CandleIntervals.all[index].milliseconds
        var entry: Entry
        if let kept = entries[symbol]?[index], kept.from <= from, kept.through + length >= from {
            entry = kept
            if entry.through < through {
                entry.rows += try read(entry.through + length, through)
                entry.through = through
            }
        } else {
            entry = Entry(from: from, through: through, rows: try read(from, through))
        }
        let before = entry.rows.prefix { $0.openMs < from }.count
        entry.rows.removeFirst(before)
        entry.from = from
        if entries[symbol] == nil { entries[symbol] = Array(repeating: nil, count: CandleIntervals.all.count) }
        entries[symbol]![index] = entry
        return entry.through > through ? entry.rows.filter { $0.openMs <= through } : entry.rows
    }
}
