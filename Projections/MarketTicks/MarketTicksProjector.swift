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
/// `flush`, as upserts that merge with rows of earlier transactions: the same rows as one upsert
/// per event.
public struct MarketTicksProjector: Projector {
    public let name = "market_ticks"
    public let version = 2
    public let schemaSQL = Resources.sql("market_ticks")
    public let eventTypes: Set<String>? = ["market.tick"]

    public init() {}

    public func makeFold(_ db: Database) throws -> any ProjectorFold {
        Fold(db: db, projector: name)
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
        var mid: Int64 = 0, funding: Int64 = 0, openInterest: Int64 = 0, ts: Int64 = 0, sequence: UInt64 = 0, ticks: Int64 = 0
        /// The open candle per interval (none before the first tick).
        var open: [Candle?] = Array(repeating: nil, count: CandleIntervals.all.count)
        /// Candles closed by a later tick, with their interval's index.
        var closed: [(interval: Int, candle: Candle)] = []
        var hour: Hour?
        var closedHours: [Hour] = []

        init(symbol: String) { self.symbol = symbol }

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
                states.append(SymbolState(symbol: symbol))
            }
            states[slot].apply(mid: mid, funding: funding, openInterest: openInterest, ts: record.timestampMs, sequence: record.sequence)
        }

        mutating func flush() throws {
            let upsertLatest = try db.cachedStatement(sql: """
                INSERT INTO latest_tick (symbol, mid_e8, funding_e8, open_interest_e2, ts, sequence, ticks)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (symbol) DO UPDATE SET mid_e8 = excluded.mid_e8, funding_e8 = excluded.funding_e8,
                    open_interest_e2 = excluded.open_interest_e2, ts = excluded.ts, sequence = excluded.sequence,
                    ticks = latest_tick.ticks + excluded.ticks
                """)
            let upsertCandle = try db.cachedStatement(sql: """
                INSERT INTO candle (symbol, interval, open_ms, open_e8, high_e8, low_e8, close_e8, ticks)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (symbol, interval, open_ms) DO UPDATE SET high_e8 = max(candle.high_e8, excluded.high_e8),
                    low_e8 = min(candle.low_e8, excluded.low_e8), close_e8 = excluded.close_e8,
                    ticks = candle.ticks + excluded.ticks
                """)
            let upsertHour = try db.cachedStatement(sql: """
                INSERT INTO tick_hour (symbol, hour_ms, funding_e8, open_interest_e2) VALUES (?, ?, ?, ?)
                ON CONFLICT (symbol, hour_ms) DO UPDATE SET funding_e8 = excluded.funding_e8, open_interest_e2 = excluded.open_interest_e2
                """)
            for state in states.sorted(by: { $0.symbol < $1.symbol }) {
                try SQLiteBinder.run(upsertLatest, db) { statement in
                    SQLiteBinder.bind(statement, 1, state.symbol)
                    sqlite3_bind_int64(statement, 2, state.mid)
                    sqlite3_bind_int64(statement, 3, state.funding)
                    sqlite3_bind_int64(statement, 4, state.openInterest)
                    sqlite3_bind_int64(statement, 5, state.ts)
                    sqlite3_bind_int64(statement, 6, Int64(state.sequence))
                    sqlite3_bind_int64(statement, 7, state.ticks)
                }
                let open = state.open.enumerated().compactMap { index, candle in candle.map { (interval: index, candle: $0) } }
                for (interval, candle) in state.closed + open {
                    try SQLiteBinder.run(upsertCandle, db) { statement in
                        SQLiteBinder.bind(statement, 1, state.symbol)
                        SQLiteBinder.bind(statement, 2, CandleIntervals.all[interval].name)
                        sqlite3_bind_int64(statement, 3, candle.openMs)
                        sqlite3_bind_int64(statement, 4, candle.open)
                        sqlite3_bind_int64(statement, 5, candle.high)
                        sqlite3_bind_int64(statement, 6, candle.low)
                        sqlite3_bind_int64(statement, 7, candle.close)
                        sqlite3_bind_int64(statement, 8, candle.ticks)
                    }
                }
                for hour in state.closedHours + (state.hour.map { [$0] } ?? []) {
                    try SQLiteBinder.run(upsertHour, db) { statement in
                        SQLiteBinder.bind(statement, 1, state.symbol)
                        sqlite3_bind_int64(statement, 2, hour.hourMs)
                        sqlite3_bind_int64(statement, 3, hour.funding)
                        sqlite3_bind_int64(statement, 4, hour.openInterest)
                    }
                }
            }
            slots = [:]
            states = []
        }
    }
}
