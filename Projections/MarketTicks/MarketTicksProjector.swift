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
        var candles: [MinuteKey: Candle] = [:]
        var candleOrder: [MinuteKey] = []

        mutating func apply(_ record: LogRecord) throws {
            guard record.schemaVersion == 1 else {
                throw ProjectionError.badEvent(projector: projector, sequence: record.sequence, type: record.type,
                                               reason: "schema version \(record.schemaVersion) is unknown to this projector (it reads 1)")
            }
            let fields: PayloadFields
            do { fields = try PayloadFields(record.payload) } catch {
                throw ProjectionError.badEvent(projector: projector, sequence: record.sequence, type: record.type, reason: "\(error)")
            }
            guard let symbol = fields.string("symbol"), let mid = fields.integer("mid_e8"),
                  let funding = fields.integer("funding_e8"), let openInterest = fields.integer("open_interest_e2") else {
                throw ProjectionError.badEvent(projector: projector, sequence: record.sequence, type: record.type,
                                               reason: "payload lacks symbol, mid_e8, funding_e8 or open_interest_e2")
            }
            let ticks = (latest[symbol]?.ticks ?? 0) + 1
            latest[symbol] = Latest(mid: mid, funding: funding, openInterest: openInterest, ts: record.timestampMs,
                                    sequence: record.sequence, ticks: ticks)
            // Floor to the minute, also for times before 1970.
            let minute = record.timestampMs - ((record.timestampMs % 60_000) + 60_000) % 60_000
            let key = MinuteKey(symbol: symbol, minute: minute)
            if var candle = candles[key] {
                candle.high = max(candle.high, mid)
                candle.low = min(candle.low, mid)
                candle.close = mid
                candle.ticks += 1
                candles[key] = candle
            } else {
                candles[key] = Candle(open: mid, high: mid, low: mid, close: mid, ticks: 1)
                candleOrder.append(key)
            }
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
            for key in candleOrder {
                let candle = candles[key]!
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
            candles = [:]
            candleOrder = []
        }
    }
}
