import Foundation
import GRDB
import GRDBSQLite
import LedgerLog

/// Market memory from `market.tick` events (schema 1: `symbol`, `mid_e8`, `funding_e8`,
/// `open_interest_e2`; the envelope's `ts` is the tick's time): the latest tick per symbol, OHLC
/// candles at every interval of `CandleIntervals`, and the last funding and open interest of each hour.
///
/// Within one transaction the fold aggregates in memory — per symbol, the open candle of each
/// interval; a candle closed by a later tick waits in a list — and writes each row once at
/// `flush`, in key order (time, then symbol number), as upserts that merge with rows of earlier
/// transactions: the same rows as one upsert per event.
public struct MarketTicksProjector: Projector {
    public let name = "market_ticks"
    public let version = 3
    public let schemaSQL = Resources.sql("market_ticks")
    public let eventTypes: Set<String>? = [Self.eventType]
    public static let eventType = "market.tick"

    public init() {}

    public func makeFold(_ db: Database) throws -> any ProjectorFold {
        var ids: [String: Int64] = [:]
        try SQLiteBinder.query(db.cachedStatement(sql: "SELECT symbol, id FROM symbol"), db, { _ in }) { raw in
            ids[SQLiteBinder.text(raw, 0)] = sqlite3_column_int64(raw, 1)
        }
        return Fold(db: db, projector: name, ids: ids)
    }

    struct Candle {
        var openMs: Int64, open: Int64, high: Int64, low: Int64, close: Int64, ticks: Int64
    }

    struct Hour {
        var hourMs: Int64, funding: Int64, openInterest: Int64
    }

    /// What one transaction has seen of one symbol.
    struct SymbolState {
        let symbol: String
        let id: Int64
        var mid: Int64 = 0, funding: Int64 = 0, openInterest: Int64 = 0, ts: Int64 = 0, sequence: UInt64 = 0, ticks: Int64 = 0
        /// The open candle per interval (none before the first tick).
        var open: [Candle?] = Array(repeating: nil, count: CandleIntervals.all.count)
        /// Candles closed by a later tick, with their interval's index.
        var closed: [(interval: Int, candle: Candle)] = []
        var hour: Hour?
        var closedHours: [Hour] = []

        init(symbol: String, id: Int64) {
            self.symbol = symbol
            self.id = id
        }

        mutating func apply(mid: Int64, funding: Int64, openInterest: Int64, ts: Int64, sequence: UInt64) {
            self.mid = mid
            self.funding = funding
            self.openInterest = openInterest
            self.ts = ts
            self.sequence = sequence
            ticks += 1
            for index in open.indices {
                let start = CandleIntervals.floor(ts, CandleIntervals.all[index].milliseconds)
                if var candle = open[index], candle.openMs == start {
                    candle.high = Swift.max(candle.high, mid)
                    candle.low = Swift.min(candle.low, mid)
                    candle.close = mid
                    candle.ticks += 1
                    open[index] = candle
                } else {
                    if let candle = open[index] { closed.append((index, candle)) }
                    open[index] = Candle(openMs: start, open: mid, high: mid, low: mid, close: mid, ticks: 1)
                }
            }
            let hourMs = CandleIntervals.floor(ts, 3_600_000)
            if let previous = hour, previous.hourMs != hourMs { closedHours.append(previous) }
            hour = Hour(hourMs: hourMs, funding: funding, openInterest: openInterest)
        }
    }

    struct Fold: ProjectorFold {
        let db: Database
        let projector: String
        /// Symbol numbers known to the read model, and those this transaction adds.
        var ids: [String: Int64]
        var newSymbols: [(symbol: String, id: Int64)] = []
        var slots: [String: Int] = [:]
        var states: [SymbolState] = []

        mutating func apply(_ record: LogRecord) throws {
            guard record.schemaVersion == 1 else {
                throw ProjectionError.badEvent(projector: projector, sequence: record.sequence, type: record.type,
                                               reason: "schema version \(record.schemaVersion) is unknown to this projector (it reads 1)")
            }
            var symbol: String?
            var mid: Int64?
            var funding: Int64?
            var openInterest: Int64?
            do {
                try PayloadFields.scan(record.payload) { key, value in
                    switch value {
                    case .string(let text) where PayloadFields.key(key, is: "symbol"): symbol = text
                    case .integer(let number) where PayloadFields.key(key, is: "mid_e8"): mid = number
                    case .integer(let number) where PayloadFields.key(key, is: "funding_e8"): funding = number
                    case .integer(let number) where PayloadFields.key(key, is: "open_interest_e2"): openInterest = number
                    default: break
                    }
                }
            } catch {
                throw ProjectionError.badEvent(projector: projector, sequence: record.sequence, type: record.type, reason: "\(error)")
            }
            guard let symbol, let mid, let funding, let openInterest else {
                throw ProjectionError.badEvent(projector: projector, sequence: record.sequence, type: record.type,
                                               reason: "payload lacks symbol, mid_e8, funding_e8 or open_interest_e2 (as integers)")
            }
            let slot: Int
            if let known = slots[symbol] {
                slot = known
            } else {
                slot = states.count
                slots[symbol] = slot
                let id: Int64
                if let known = ids[symbol] {
                    id = known
                } else {
                    id = Int64(ids.count + 1)
                    ids[symbol] = id
                    newSymbols.append((symbol, id))
                }
                states.append(SymbolState(symbol: symbol, id: id))
            }
            states[slot].apply(mid: mid, funding: funding, openInterest: openInterest, ts: record.timestampMs, sequence: record.sequence)
        }

        mutating func flush() throws {
            let insertSymbol = try db.cachedStatement(sql: "INSERT INTO symbol (id, symbol) VALUES (?, ?)")
            for (symbol, id) in newSymbols {
                try SQLiteBinder.run(insertSymbol, db) { statement in
                    sqlite3_bind_int64(statement, 1, id)
                    SQLiteBinder.bind(statement, 2, symbol)
                }
            }
            let upsertLatest = try db.cachedStatement(sql: """
                INSERT INTO latest_tick (symbol, mid_e8, funding_e8, open_interest_e2, ts, sequence, ticks)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (symbol) DO UPDATE SET mid_e8 = excluded.mid_e8, funding_e8 = excluded.funding_e8,
                    open_interest_e2 = excluded.open_interest_e2, ts = excluded.ts, sequence = excluded.sequence,
                    ticks = latest_tick.ticks + excluded.ticks
                """)
            for state in states {
                try SQLiteBinder.run(upsertLatest, db) { statement in
                    SQLiteBinder.bind(statement, 1, state.symbol)
                    sqlite3_bind_int64(statement, 2, state.mid)
                    sqlite3_bind_int64(statement, 3, state.funding)
                    sqlite3_bind_int64(statement, 4, state.openInterest)
                    sqlite3_bind_int64(statement, 5, state.ts)
                    sqlite3_bind_int64(statement, 6, Int64(state.sequence))
                    sqlite3_bind_int64(statement, 7, state.ticks)
                }
            }
            for (interval, spec) in CandleIntervals.all.enumerated() {
                let table = "candle_" + spec.name
                var writer = try IntegerRowWriter(db, table: table, columns: ["open_ms", "symbol_id", "open_e8", "high_e8", "low_e8", "close_e8", "ticks"], suffix: """
                    ON CONFLICT (open_ms, symbol_id) DO UPDATE SET high_e8 = max(\(table).high_e8, excluded.high_e8),
                        low_e8 = min(\(table).low_e8, excluded.low_e8), close_e8 = excluded.close_e8, ticks = \(table).ticks + excluded.ticks
                    """)
                var rows: [(id: Int64, candle: Candle)] = []
                for state in states {
                    for closed in state.closed where closed.interval == interval { rows.append((state.id, closed.candle)) }
                    if let open = state.open[interval] { rows.append((state.id, open)) }
                }
                for row in Self.keyOrdered(rows, time: { $0.candle.openMs }, id: { $0.id }) {
                    try writer.add(row.candle.openMs, row.id, row.candle.open, row.candle.high, row.candle.low, row.candle.close, row.candle.ticks)
                }
                try writer.finish()
            }
            var hourWriter = try IntegerRowWriter(db, table: "tick_hour", columns: ["hour_ms", "symbol_id", "funding_e8", "open_interest_e2"], suffix: """
                ON CONFLICT (hour_ms, symbol_id) DO UPDATE SET funding_e8 = excluded.funding_e8, open_interest_e2 = excluded.open_interest_e2
                """)
            var hours: [(id: Int64, hour: Hour)] = []
            for state in states {
                for hour in state.closedHours + (state.hour.map { [$0] } ?? []) { hours.append((state.id, hour)) }
            }
            for row in Self.keyOrdered(hours, time: { $0.hour.hourMs }, id: { $0.id }) {
                try hourWriter.add(row.hour.hourMs, row.id, row.hour.funding, row.hour.openInterest)
            }
            try hourWriter.finish()
            newSymbols = []
            slots = [:]
            states = []
        }

        /// Rows in key order (time, then symbol number), the order that appends to the tables'
        /// B-trees; rows of one key keep their log order, so merging them gives the same row.
        static func keyOrdered<Row>(_ rows: [Row], time: (Row) -> Int64, id: (Row) -> Int64) -> [Row] {
            rows.enumerated()
                .sorted { (time($0.element), id($0.element), $0.offset) < (time($1.element), id($1.element), $1.offset) }
                .map(\.element)
        }
    }
}
