import ClashCore
import Foundation
import GRDB
import GRDBSQLite

/// Reads market memory (the `market_memory` and `market_ticks` read models) as the runtime's
/// context packets see it: the asset universe with categories, and each asset's latest data as
/// of a time. Pure reads: the same read models and time give the same answer.
public struct AssetMemory {
    /// The `market_memory` and `market_ticks` read models.
    public let memory: Database
    public let ticks: Database
    /// Tick candles kept between reads (a market replica's), or nil to read every one each time.
    public var candleCache: TickCandleCache?
    /// The untimed parts of market memory kept between reads (a market replica's), or nil.
    public var memoryCache: MarketMemoryCache?

    public init(memory: Database, ticks: Database, candleCache: TickCandleCache? = nil) {
        self.memory = memory
        self.ticks = ticks
        self.candleCache = candleCache
    }

    /// How many candles of each interval the latest data carries.
    public static let candleCounts = ["1m": 30, "5m": 24, "15m": 16, "1h": 24, "4h": 12]

    /// The newest time in market memory: the default `asOf` of `latest`.
    public func newestMs() throws -> Int64 {
        let fromTicks = try Int64.fetchOne(ticks.cachedStatement(sql: "SELECT max(ts) FROM latest_tick")) ?? 0
        let fromMemory = try Int64.fetchOne(memory.cachedStatement(sql: """
            SELECT max(ts) FROM (SELECT max(ts) AS ts FROM asset_context UNION ALL SELECT max(ts) FROM mid
                UNION ALL SELECT max(ts) FROM spot_context UNION ALL SELECT max(ts) FROM book)
            """)) ?? 0
        return Swift.max(fromTicks, fromMemory)
    }

    /// What a view takes from a universe row.
    struct AssetRow {
        var dex: String, kind: String, quote: String, maxLeverage: Int64, delisted: Bool
    }

    /// `read`, or what the cache kept of it (none: read every time).
    func kept<Value>(_ parts: ReferenceWritableKeyPath<MarketMemoryCache, [String: Value]>, _ symbol: String,
                     _ read: () throws -> Value) rethrows -> Value {
        guard let memoryCache else { return try read() }
        return try memoryCache.kept(parts, symbol, read)
    }

    /// A universe row, or nil for a symbol no universe listed.
    func assetRow(_ symbol: String) throws -> AssetRow? {
        try kept(\.assets, symbol) { try readAssetRow(symbol) }
    }

    func readAssetRow(_ symbol: String) throws -> AssetRow? {
        try first(memory, "SELECT dex, kind, quote, max_leverage, delisted FROM asset WHERE symbol = ? ORDER BY delisted, dex = 'spot' LIMIT 1",
                  { SQLiteBinder.bind($0, 1, symbol) }) { raw in
            AssetRow(dex: SQLiteBinder.text(raw, 0), kind: SQLiteBinder.text(raw, 1), quote: SQLiteBinder.text(raw, 2),
                     maxLeverage: sqlite3_column_int64(raw, 3), delisted: sqlite3_column_int64(raw, 4) != 0)
        }
    }

    // The reads of a view, with raw binds and column reads on cached statements: a view takes a
    // score of them, and building rows and argument arrays cost several times the queries.

    /// The first row of `sql`, made by `row`, or nil.
    func first<T>(_ db: Database, _ sql: String, _ bind: (OpaquePointer) -> Void = { _ in }, _ row: (OpaquePointer) -> T) throws -> T? {
        try SQLiteBinder.first(db.cachedStatement(sql: sql), db, bind, row)
    }

    /// Every row of `sql`, each made by `row`.
    func rows<T>(_ db: Database, _ sql: String, _ bind: (OpaquePointer) -> Void = { _ in }, _ row: (OpaquePointer) -> T) throws -> [T] {
        try SQLiteBinder.rows(db.cachedStatement(sql: sql), db, bind, row)
    }

    /// Binds a symbol (1) and a time (2).
    static func symbolAndTime(_ symbol: String, _ time: Int64) -> (OpaquePointer) -> Void {
        { raw in
            SQLiteBinder.bind(raw, 1, symbol)
            sqlite3_bind_int64(raw, 2, time)
        }
    }

    /// The latest data of `symbol` as of `asOfMs` (default: the newest time in memory).
    public func latest(_ symbol: String, asOfMs: Int64? = nil) throws -> AssetLatest? {
        guard let asset = try assetRow(symbol) else { return nil }
        let asOf = try asOfMs ?? newestMs()
        let reads = try TickCandleReads(ticks: ticks, symbol: symbol, shared: candleCache)
        return AssetLatest(
            symbol: symbol, dex: asset.dex, kind: asset.kind, quote: asset.quote, maxLeverage: asset.maxLeverage,
            delisted: asset.delisted, categories: try categories(symbol, kind: asset.kind, quote: asset.quote), asOfMs: asOf,
            price: try price(symbol, kind: asset.kind, asOf: asOf), candles: try candles(symbol, asOf: asOf, reads: reads),
            liquidity: try liquidity(symbol), funding: try funding(symbol, asOf: asOf), volatility: try volatility(symbol, asOf: asOf, reads: reads),
            positioning: try positioning(symbol, asOf: asOf), polymarket: try polymarket(symbol, asOf: asOf),
            defillama: try defillama(symbol, asOf: asOf))
    }

    /// What trading needs between runs — the price, the book's spread, funding, the maximum
    /// leverage, whether delisted — without candles, volatility or the other sources: the same
    /// figures as `latest` has for them, read far faster (marks, triggers and funding every minute).
    public func tradingFacts(_ symbol: String, asOfMs: Int64) throws -> AssetLatest? {
        guard let asset = try assetRow(symbol) else { return nil }
        return AssetLatest(symbol: symbol, dex: asset.dex, kind: asset.kind, quote: asset.quote, maxLeverage: asset.maxLeverage,
                           delisted: asset.delisted, asOfMs: asOfMs, price: try price(symbol, kind: asset.kind, asOf: asOfMs),
                           liquidity: try liquidity(symbol), funding: try funding(symbol, asOf: asOfMs))
    }

    /// JSON with snake_case keys, sorted: what `clash assets latest` prints.
    public static func encode(_ latest: AssetLatest) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(latest)
    }

    func categories(_ symbol: String, kind: String, quote: String) throws -> [String] {
        if kind == "spot" { return ["Spot"] + (AssetCategory.spotPath(forQuote: quote).map { [$0] } ?? []) }
        return try kept(\.categories, symbol) {
            try rows(memory, "SELECT DISTINCT path FROM category WHERE symbol = ? AND path IS NOT NULL ORDER BY path",
                     { SQLiteBinder.bind($0, 1, symbol) }) { SQLiteBinder.text($0, 0) }
        }
    }

    /// `(now - then) × 10^4 / then`, or nil without a base.
    static func changeBp(_ now: Int64?, _ then: Int64?) -> Int64? {
        guard let now, let then, then != 0 else { return nil }
        return Int64((Int128(now) - Int128(then)) * 10_000 / Int128(then))
    }

    /// A context row as `price` reads it.
    struct PriceContext {
        var mid: Int64?, ts: Int64?, sequence: Int64?, markPxE8: Int64?, oraclePxE8: Int64?, prevDayPxE8: Int64?, dayNotionalVolumeE2: Int64?
    }

    func price(_ symbol: String, kind: String, asOf: Int64) throws -> AssetLatest.Price? {
        // The newest mid of any source (ticks, allMids, the contexts); on equal times, the later in the log.
        var best: (mid: Int64, ts: Int64, sequence: Int64)?
        func consider(_ row: (mid: Int64?, ts: Int64?, sequence: Int64?)?) {
            guard let row, let mid = row.mid, let ts = row.ts, let sequence = row.sequence else { return }
            if best == nil || (ts, sequence) > (best!.ts, best!.sequence) { best = (mid, ts, sequence) }
        }
        func midTsSequence(_ raw: OpaquePointer) -> (mid: Int64?, ts: Int64?, sequence: Int64?) {
            (SQLiteBinder.int(raw, 0), SQLiteBinder.int(raw, 1), SQLiteBinder.int(raw, 2))
        }
        consider(try first(ticks, "SELECT mid_e8, ts, sequence FROM latest_tick WHERE symbol = ? AND ts <= ?", Self.symbolAndTime(symbol, asOf),
                           midTsSequence))
        // allMids keys a spot pair by the exchange's coin name (@107 for HYPE/USDC).
        let midKey = kind == "spot"
            ? try first(memory, "SELECT coin FROM spot_context WHERE symbol = ?", { SQLiteBinder.bind($0, 1, symbol) }) { SQLiteBinder.text($0, 0) } ?? symbol
            : symbol
        consider(try first(memory, "SELECT mid_e8, ts, sequence FROM mid WHERE symbol = ? AND ts <= ? ORDER BY ts DESC, sequence DESC LIMIT 1",
                           Self.symbolAndTime(midKey, asOf), midTsSequence))
        let context = try first(memory, kind == "spot" ? """
            SELECT coalesce(mid_px_e8, mark_px_e8) AS mid, ts, sequence, mark_px_e8, NULL AS oracle_px_e8, prev_day_px_e8, day_notional_volume_e2
            FROM spot_context WHERE symbol = ? AND ts <= ?
            """ : """
            SELECT coalesce(mid_px_e8, mark_px_e8) AS mid, ts, sequence, mark_px_e8, oracle_px_e8, prev_day_px_e8, day_notional_volume_e2
            FROM asset_context WHERE symbol = ? AND ts <= ? ORDER BY ts DESC, sequence DESC LIMIT 1
            """, Self.symbolAndTime(symbol, asOf)) { raw in
            PriceContext(mid: SQLiteBinder.int(raw, 0), ts: SQLiteBinder.int(raw, 1), sequence: SQLiteBinder.int(raw, 2),
                         markPxE8: SQLiteBinder.int(raw, 3), oraclePxE8: SQLiteBinder.int(raw, 4), prevDayPxE8: SQLiteBinder.int(raw, 5),
                         dayNotionalVolumeE2: SQLiteBinder.int(raw, 6))
        }
        consider(context.map { ($0.mid, $0.ts, $0.sequence) })
        if best == nil {
            // As of an earlier time: the close of the last 1-minute candle complete by then.
            consider(try first(ticks, """
                SELECT close_e8, open_ms + 59999, 0 FROM candle_1m WHERE symbol_id = (SELECT id FROM symbol WHERE symbol = ?)
                AND open_ms + 60000 <= ? + 1 ORDER BY open_ms DESC LIMIT 1
                """, Self.symbolAndTime(symbol, asOf), midTsSequence))
        }
        guard let best else { return nil }
        let prevDay = context?.prevDayPxE8
        return AssetLatest.Price(midE8: best.mid, ts: best.ts, markPxE8: context?.markPxE8, oraclePxE8: context?.oraclePxE8,
                                 prevDayPxE8: prevDay, change24hBp: Self.changeBp(best.mid, prevDay),
                                 dayNotionalVolumeE2: context?.dayNotionalVolumeE2, sequence: best.sequence > 0 ? best.sequence : nil,
                                 contextSequence: context?.sequence)
    }

    /// The latest candle start usable as of `asOf`, for each interval length: the candle holding
    /// `asOf` when nothing newer was folded for the symbol (it holds only what came before), else
    /// the last one complete by then.
    func candleCutoff(_ symbol: String, asOf: Int64) throws -> (Int64) -> Int64 {
        let newest = try first(ticks, "SELECT ts FROM latest_tick WHERE symbol = ?", { SQLiteBinder.bind($0, 1, symbol) }) {
            SQLiteBinder.int($0, 0)
        }.flatMap { $0 } ?? .min
        return { length in asOf >= newest ? asOf : asOf + 1 - length }
    }

    /// The open time of the newest exchange candle (`hyperliquid.candles`) folded for an asset and interval.
    public func newestExchangeCandleOpen(_ symbol: String, interval: String) throws -> Int64? {
        try Int64.fetchOne(memory.cachedStatement(sql: "SELECT max(open_ms) FROM exchange_candle WHERE symbol = ? AND interval = ?"),
                           arguments: [symbol, interval])
    }

    /// Candles built from ticks; the exchange's candles for an interval the ticks do not cover.
    func candles(_ symbol: String, asOf: Int64, reads: TickCandleReads) throws -> [String: [AssetLatest.Candle]] {
        var out: [String: [AssetLatest.Candle]] = [:]
        let cutoffFor = try candleCutoff(symbol, asOf: asOf)
        for interval in CandleIntervals.all {
            let limit = Self.candleCounts[interval.name] ?? 10
            let cutoff = cutoffFor(interval.milliseconds)
            // The newest `limit` starts, looked up one by one; only when some are missing (a gap, the
            // market's first hours) do the newest `limit` candles that exist take a scan.
            let candles = try reads.candles(interval, newest: CandleIntervals.floor(cutoff, interval.milliseconds), count: limit)
            if candles.count == limit {
                out[interval.name] = candles.reversed()
                continue
            }
            let existing = try reads.newest(interval, atOrBefore: cutoff, count: limit)
            if !existing.isEmpty {
                out[interval.name] = existing.reversed()
                continue
            }
            let rows = try Row.fetchAll(memory.cachedStatement(sql: """
                SELECT open_ms, open_e8, high_e8, low_e8, close_e8, volume_e8 FROM exchange_candle
                WHERE symbol = ? AND interval = ? AND open_ms <= ? ORDER BY open_ms DESC LIMIT ?
                """), arguments: [symbol, interval.name, asOf + 1 - interval.milliseconds, limit])
            guard !rows.isEmpty else { continue }
            out[interval.name] = rows.reversed().map {
                AssetLatest.Candle(openMs: $0[0], openE8: $0[1], highE8: $0[2], lowE8: $0[3], closeE8: $0[4], volumeE8: $0[5])
            }
        }
        return out
    }

    func liquidity(_ symbol: String) throws -> AssetLatest.Liquidity {
        try kept(\.liquidity, symbol) { try readLiquidity(symbol) }
    }

    func readLiquidity(_ symbol: String) throws -> AssetLatest.Liquidity {
        var liquidity = try first(memory, "SELECT spread_bp, best_bid_e8, best_ask_e8, bid_depth_e2, ask_depth_e2, ts, sequence FROM book WHERE symbol = ?",
                                  { SQLiteBinder.bind($0, 1, symbol) }) { raw in
            AssetLatest.Liquidity(spreadBp: SQLiteBinder.int(raw, 0), bestBidE8: SQLiteBinder.int(raw, 1), bestAskE8: SQLiteBinder.int(raw, 2),
                                  bidDepthE2: SQLiteBinder.int(raw, 3), askDepthE2: SQLiteBinder.int(raw, 4), ts: SQLiteBinder.int(raw, 5),
                                  bookSequence: SQLiteBinder.int(raw, 6))
        } ?? AssetLatest.Liquidity()
        if let context = try first(memory, """
            SELECT impact_bid_px_e8, impact_ask_px_e8, coalesce(mid_px_e8, mark_px_e8) AS mid, ts FROM asset_context
            WHERE symbol = ? ORDER BY ts DESC LIMIT 1
            """, { SQLiteBinder.bind($0, 1, symbol) }, { raw in
                (bid: SQLiteBinder.int(raw, 0), ask: SQLiteBinder.int(raw, 1), mid: SQLiteBinder.int(raw, 2), ts: sqlite3_column_int64(raw, 3))
            }), let bid = context.bid, let ask = context.ask, let mid = context.mid, mid > 0 {
            liquidity.impactBidPxE8 = bid
            liquidity.impactAskPxE8 = ask
            liquidity.impactSpreadBp = Int64((Int128(ask) - Int128(bid)) * 10_000 / Int128(mid))
            liquidity.ts = Swift.max(liquidity.ts ?? .min, context.ts)
        }
        return liquidity
    }

    /// Hourly funding rates (× 10^12) of the 24 hours up to `asOf`, newest first: the contexts',
    /// else the exchange's funding history, else the ticks'.
    public func hourlyFunding(_ symbol: String, asOf: Int64) throws -> [(rate: Int64, premium: Int64?, ts: Int64)] {
        let bind = { (raw: OpaquePointer) in
            SQLiteBinder.bind(raw, 1, symbol)
            sqlite3_bind_int64(raw, 2, asOf - 24 * 3_600_000)
            sqlite3_bind_int64(raw, 3, asOf)
        }
        let sample = { (raw: OpaquePointer) in (rate: sqlite3_column_int64(raw, 0), premium: SQLiteBinder.int(raw, 1), ts: sqlite3_column_int64(raw, 2)) }
        let contexts = try rows(memory, """
            SELECT funding_e12, premium_e12, hour_ms FROM context_hour WHERE symbol = ? AND hour_ms > ? AND hour_ms <= ? ORDER BY hour_ms DESC
            """, bind, sample)
        if !contexts.isEmpty { return contexts }
        let history = try rows(memory, """
            SELECT funding_e12, premium_e12, time_ms FROM funding WHERE symbol = ? AND time_ms > ? AND time_ms <= ? ORDER BY time_ms DESC
            """, bind, sample)
        if !history.isEmpty { return history }
        return try rows(ticks, """
            SELECT funding_e8 * 10000, NULL, hour_ms FROM tick_hour WHERE symbol_id = (SELECT id FROM symbol WHERE symbol = ?)
            AND hour_ms > ? AND hour_ms <= ? ORDER BY hour_ms DESC
            """, bind, sample)
    }

    func funding(_ symbol: String, asOf: Int64) throws -> AssetLatest.Funding {
        let samples = try hourlyFunding(symbol, asOf: asOf)
        func mean(_ rates: ArraySlice<(rate: Int64, premium: Int64?, ts: Int64)>) -> Int64? {
            rates.isEmpty ? nil : Int64(rates.reduce(Int128(0)) { $0 + Int128($1.rate) } / Int128(rates.count))
        }
        var current = samples.first?.rate
        var premium = samples.first?.premium
        var ts = samples.first?.ts
        if let context = try first(memory, "SELECT funding_e12, premium_e12, ts FROM asset_context WHERE symbol = ? AND ts <= ? ORDER BY ts DESC LIMIT 1",
                                   Self.symbolAndTime(symbol, asOf), { raw in (SQLiteBinder.int(raw, 0), SQLiteBinder.int(raw, 1), SQLiteBinder.int(raw, 2)) }) {
            (current, premium, ts) = context
        }
        return AssetLatest.Funding(currentE12: current, average8hE12: mean(samples.prefix(8)), average24hE12: mean(samples[...]),
                                   premiumE12: premium, samples24h: samples.count, ts: ts)
    }

    func volatility(_ symbol: String, asOf: Int64, reads: TickCandleReads) throws -> AssetLatest.Volatility {
        let cutoffFor = try candleCutoff(symbol, asOf: asOf)
        func realized(_ interval: String, hours: Int64) throws -> Int64? {
            let spec = CandleIntervals.all.first { $0.name == interval }!
            let length = spec.milliseconds
            let from = asOf - hours * 3_600_000
            // Every candle starting in (from, cutoff]: starts are aligned, so they are known.
            let newest = CandleIntervals.floor(cutoffFor(length), length)
            let count = newest > from ? Int((newest - from - 1) / length) + 1 : 0
            var closes = try reads.candles(spec, newest: newest, count: count).reversed().map(\.closeE8)
            if closes.isEmpty {
                closes = try Int64.fetchAll(memory.cachedStatement(sql: """
                    SELECT close_e8 FROM exchange_candle WHERE symbol = ? AND interval = ? AND open_ms > ? AND open_ms <= ? ORDER BY open_ms
                    """), arguments: [symbol, interval, from, asOf + 1 - length])
            }
            guard closes.count >= 2 else { return nil }
            var sum: Int128 = 0
            for (previous, close) in zip(closes, closes.dropFirst()) where previous > 0 {
                let ppm = (Int128(close) - Int128(previous)) * 1_000_000 / Int128(previous)
                sum += ppm * ppm
            }
            return Int64(IntegerSquareRoot.floor(sum) / 100)
        }
        return AssetLatest.Volatility(realized1hBp: try realized("1m", hours: 1), realized4hBp: try realized("5m", hours: 4),
                                      realized24hBp: try realized("15m", hours: 24))
    }

    /// Candles of the ticks read by point lookups on their key (open_ms, symbol_id): a range over
    /// open_ms reads the candles of every symbol in it, so its cost grows with the universe. Each
    /// interval's newest starts are read once per view, for the candles and the volatility both.
    final class TickCandleReads {
        let ticks: Database
        let symbol: String
        let symbolId: Int64?
        let shared: TickCandleCache?
        /// Per interval: the newest start read, how many starts, and the candles found, newest first.
        var cache: [String: (newest: Int64, count: Int, rows: [AssetLatest.Candle])] = [:]

        /// Starts read at once per interval: enough for the volatility windows too.
        static let volatilityCandles = ["1m": 60, "5m": 48, "15m": 96]

        init(ticks: Database, symbol: String, shared: TickCandleCache?) throws {
            self.ticks = ticks
            self.symbol = symbol
            self.shared = shared
            symbolId = try SQLiteBinder.first(ticks.cachedStatement(sql: "SELECT id FROM symbol WHERE symbol = ?"), ticks, { SQLiteBinder.bind($0, 1, symbol) }) {
                sqlite3_column_int64($0, 0)
            }
        }

        /// The candles that exist among the `count` starts from `newest` back, newest first.
        func candles(_ interval: (name: String, milliseconds: Int64), newest: Int64, count: Int) throws -> [AssetLatest.Candle] {
            guard let symbolId, count > 0 else { return [] }
            let oldest = newest - Int64(count - 1) * interval.milliseconds
            if let cached = cache[interval.name], cached.newest == newest, cached.count >= count {
                return cached.rows.filter { $0.openMs >= oldest }
            }
            let fetched = Swift.max(count, Self.volatilityCandles[interval.name] ?? 0)
            let from = newest - Int64(fetched - 1) * interval.milliseconds
            let read = { (from: Int64, through: Int64) in try self.range(interval, symbolId: symbolId, from: from, through: through) }
            let inOrder = try shared.map { shared in
                try shared.candles(symbol, interval: CandleIntervals.all.firstIndex { $0.name == interval.name }!, from: from, through: newest, read: read)
            } ?? read(from, newest)
            let rows = Array(inOrder.reversed())
            cache[interval.name] = (newest, fetched, rows)
            return rows.filter { $0.openMs >= oldest }
        }

        /// The candles starting in [from, through], in time order (raw binds and steps: a view
        /// reads several intervals each time it is built). Starts are aligned to the interval, so
        /// the range holds exactly the starts asked for.
        func range(_ interval: (name: String, milliseconds: Int64), symbolId: Int64, from: Int64, through: Int64) throws -> [AssetLatest.Candle] {
            let statement = try ticks.cachedStatement(sql: """
                SELECT open_ms, open_e8, high_e8, low_e8, close_e8 FROM candle_\(interval.name)
                WHERE symbol_id = ? AND open_ms BETWEEN ? AND ? ORDER BY open_ms
                """)
            var rows: [AssetLatest.Candle] = []
            try SQLiteBinder.query(statement, ticks, { raw in
                sqlite3_bind_int64(raw, 1, symbolId)
                sqlite3_bind_int64(raw, 2, from)
                sqlite3_bind_int64(raw, 3, through)
            }, row: { raw in rows.append(Self.candle(raw)) })
            return rows
        }

        /// The newest `count` candles that exist starting at or before `cutoff`, newest first: what
        /// a view shows when some of the newest starts are missing (a gap, the market's first hours).
        func newest(_ interval: (name: String, milliseconds: Int64), atOrBefore cutoff: Int64, count: Int) throws -> [AssetLatest.Candle] {
            guard let symbolId, count > 0 else { return [] }
            let statement = try ticks.cachedStatement(sql: """
                SELECT open_ms, open_e8, high_e8, low_e8, close_e8 FROM candle_\(interval.name)
                WHERE symbol_id = ? AND open_ms <= ? ORDER BY open_ms DESC LIMIT ?
                """)
            var rows: [AssetLatest.Candle] = []
            try SQLiteBinder.query(statement, ticks, { raw in
                sqlite3_bind_int64(raw, 1, symbolId)
                sqlite3_bind_int64(raw, 2, cutoff)
                sqlite3_bind_int64(raw, 3, Int64(count))
            }, row: { raw in rows.append(Self.candle(raw)) })
            return rows
        }

        static func candle(_ raw: OpaquePointer) -> AssetLatest.Candle {
            AssetLatest.Candle(openMs: sqlite3_column_int64(raw, 0), openE8: sqlite3_column_int64(raw, 1), highE8: sqlite3_column_int64(raw, 2),
                               lowE8: sqlite3_column_int64(raw, 3), closeE8: sqlite3_column_int64(raw, 4), volumeE8: nil)
        }
    }

    func positioning(_ symbol: String, asOf: Int64) throws -> AssetLatest.Positioning {
        // Open interest in USD × 10^2 at the last sample of each hour, newest first.
        let bind = { (raw: OpaquePointer) in
            SQLiteBinder.bind(raw, 1, symbol)
            sqlite3_bind_int64(raw, 2, asOf)
            sqlite3_bind_int64(raw, 3, asOf - 25 * 3_600_000)
        }
        let point = { (raw: OpaquePointer) in (hour: sqlite3_column_int64(raw, 0), usd: sqlite3_column_int64(raw, 1)) }
        var series = try rows(memory, """
            SELECT hour_ms, open_interest_e8 * mark_px_e8 / 100000000000000 FROM context_hour
            WHERE symbol = ? AND hour_ms <= ? AND hour_ms > ? ORDER BY hour_ms DESC
            """, bind, point)
        if series.isEmpty {
            series = try rows(ticks, """
                SELECT hour_ms, open_interest_e2 FROM tick_hour WHERE symbol_id = (SELECT id FROM symbol WHERE symbol = ?)
                AND hour_ms <= ? AND hour_ms > ? ORDER BY hour_ms DESC
                """, bind, point)
        }
        guard let now = series.first else { return AssetLatest.Positioning() }
        func change(_ hours: Int64) -> Int64? {
            Self.changeBp(now.usd, series.first { $0.hour <= now.hour - hours * 3_600_000 }?.usd)
        }
        return AssetLatest.Positioning(openInterestUsdE2: now.usd, change1hBp: change(1), change4hBp: change(4), change24hBp: change(24),
                                       hourMs: now.hour)
    }
}

extension ProjectionRunner {
    /// Reads market memory (both read models) in one call.
    public func withAssetMemory<Result>(_ body: (AssetMemory) throws -> Result) throws -> Result {
        try read("market_memory") { memory in
            try read("market_ticks") { ticks in try body(AssetMemory(memory: memory, ticks: ticks)) }
        }
    }
}
