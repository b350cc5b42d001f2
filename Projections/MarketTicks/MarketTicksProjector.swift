import Foundation
import GRDB
import GRDBSQLite
import LedgerLog

/// Latest tick per symbol and 1-minute candles, from `market.tick` events (schema 1: `symbol`,
/// `mid_e8`, `funding_e8`, `open_interest_e2`; the envelope's `ts` is the tick's time).
///
/// Within one transaction the fold aggregates in memory (last tick per symbol, one candle per
/// symbol and minute) and writes each row once at `flush`: the same rows as one upsert per event.
public struct MarketTicksProjector: Projector {
    public let name = "market_ticks"
    public let version = 1
    public let schemaSQL = Resources.sql("market_ticks")
    public let eventTypes: Set<String>? = ["market.tick"]

    public init() {}

    public func makeFold(_ db: Database) throws -> any ProjectorFold {
        Fold(db: db, projector: name)
    }

    struct Latest {
        var mid: Int64, funding: Int64, openInterest: Int64, ts: Int64, sequence: UInt64, ticks: Int64
    }

    struct Candle {
        var open: Int64, high: Int64, low: Int64, close: Int64, ticks: Int64
    }

    struct MinuteKey: Hashable {
        var symbol: String
        var minute: Int64
    }

    struct Fold: ProjectorFold {
        let db: Database
        let projector: String
        var latest: [String: Latest] = [:]
        /// Candles in the order first seen, and where each key's candle is.
        var candles: [Candle] = []
        var candleKeys: [MinuteKey] = []
        var candleSlots: [MinuteKey: Int] = [:]

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
            Self.update(&latest[symbol, default: Latest(mid: 0, funding: 0, openInterest: 0, ts: 0, sequence: 0, ticks: 0)],
                        mid: mid, funding: funding, openInterest: openInterest, record: record)
            // Floor to the minute, also for times before 1970.
            let minute = record.timestampMs - ((record.timestampMs % 60_000) + 60_000) % 60_000
            let key = MinuteKey(symbol: symbol, minute: minute)
            if let slot = candleSlots[key] {
                candles[slot].high = max(candles[slot].high, mid)
                candles[slot].low = min(candles[slot].low, mid)
                candles[slot].close = mid
                candles[slot].ticks += 1
            } else {
                candleSlots[key] = candles.count
                candles.append(Candle(open: mid, high: mid, low: mid, close: mid, ticks: 1))
                candleKeys.append(key)
            }
        }

        private static func update(_ row: inout Latest, mid: Int64, funding: Int64, openInterest: Int64, record: LogRecord) {
            row.mid = mid
            row.funding = funding
            row.openInterest = openInterest
            row.ts = record.timestampMs
            row.sequence = record.sequence
            row.ticks += 1
        }

        mutating func flush() throws {
            let upsertLatest = try db.cachedStatement(sql: """
                INSERT INTO latest_tick (symbol, mid_e8, funding_e8, open_interest_e2, ts, sequence, ticks)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (symbol) DO UPDATE SET mid_e8 = excluded.mid_e8, funding_e8 = excluded.funding_e8,
                    open_interest_e2 = excluded.open_interest_e2, ts = excluded.ts, sequence = excluded.sequence,
                    ticks = latest_tick.ticks + excluded.ticks
                """)
            for symbol in latest.keys.sorted() {
                let row = latest[symbol]!
                try SQLiteBinder.run(upsertLatest, db) { statement in
                    SQLiteBinder.bind(statement, 1, symbol)
                    sqlite3_bind_int64(statement, 2, row.mid)
                    sqlite3_bind_int64(statement, 3, row.funding)
                    sqlite3_bind_int64(statement, 4, row.openInterest)
                    sqlite3_bind_int64(statement, 5, row.ts)
                    sqlite3_bind_int64(statement, 6, Int64(row.sequence))
                    sqlite3_bind_int64(statement, 7, row.ticks)
                }
            }
            let upsertCandle = try db.cachedStatement(sql: """
                INSERT INTO candle_1m (symbol, minute_ts, open_e8, high_e8, low_e8, close_e8, ticks)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (symbol, minute_ts) DO UPDATE SET high_e8 = max(candle_1m.high_e8, excluded.high_e8),
                    low_e8 = min(candle_1m.low_e8, excluded.low_e8), close_e8 = excluded.close_e8,
                    ticks = candle_1m.ticks + excluded.ticks
                """)
            for (slot, key) in candleKeys.enumerated() {
                let candle = candles[slot]
                try SQLiteBinder.run(upsertCandle, db) { statement in
                    SQLiteBinder.bind(statement, 1, key.symbol)
                    sqlite3_bind_int64(statement, 2, key.minute)
                    sqlite3_bind_int64(statement, 3, candle.open)
                    sqlite3_bind_int64(statement, 4, candle.high)
                    sqlite3_bind_int64(statement, 5, candle.low)
                    sqlite3_bind_int64(statement, 6, candle.close)
                    sqlite3_bind_int64(statement, 7, candle.ticks)
                }
            }
            latest = [:]
            candles = []
            candleKeys = []
            candleSlots = [:]
        }
    }
}
