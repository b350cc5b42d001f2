import GRDB
import GRDBSQLite
import LedgerLog

/// Counts events by type and schema version, and tracks every stream's version and last event.
public struct EventIndexProjector: Projector {
    public let name = "event_index"
    public let version = 1
    public let schemaSQL = Resources.sql("event_index")
    public let eventTypes: Set<String>? = nil

    public init() {}

    public func makeFold(_ db: Database) throws -> any ProjectorFold { Fold(db: db) }

    struct TypeKey: Hashable {
        var type: String
        var schema: Int
    }

    struct TypeCount {
        var events: Int64, first: UInt64, last: UInt64
    }

    struct StreamState {
        var version: UInt64, first: UInt64, last: UInt64, lastType: String, lastTs: Int64
    }

    struct Fold: ProjectorFold {
        let db: Database
        var types: [TypeKey: TypeCount] = [:]
        var streams: [String: StreamState] = [:]

        mutating func apply(_ record: LogRecord) throws {
            let key = TypeKey(type: record.type, schema: record.schemaVersion)
            if var count = types[key] {
                count.events += 1
                count.last = record.sequence
                types[key] = count
            } else {
                types[key] = TypeCount(events: 1, first: record.sequence, last: record.sequence)
            }
            let first = streams[record.stream]?.first ?? record.sequence
            streams[record.stream] = StreamState(version: record.streamVersion, first: first, last: record.sequence,
                                                 lastType: record.type, lastTs: record.timestampMs)
        }

        mutating func flush() throws {
            let upsertType = try db.cachedStatement(sql: """
                INSERT INTO event_type (type, schema, events, first_sequence, last_sequence) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (type, schema) DO UPDATE SET events = event_type.events + excluded.events,
                    last_sequence = excluded.last_sequence
                """)
            for key in types.keys.sorted(by: { ($0.type, $0.schema) < ($1.type, $1.schema) }) {
                let count = types[key]!
                try SQLiteBinder.run(upsertType, db) { statement in
                    SQLiteBinder.bind(statement, 1, key.type)
                    sqlite3_bind_int64(statement, 2, Int64(key.schema))
                    sqlite3_bind_int64(statement, 3, count.events)
                    sqlite3_bind_int64(statement, 4, Int64(count.first))
                    sqlite3_bind_int64(statement, 5, Int64(count.last))
                }
            }
            let upsertStream = try db.cachedStatement(sql: """
                INSERT INTO stream (stream, version, first_sequence, last_sequence, last_type, last_ts) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (stream) DO UPDATE SET version = excluded.version, last_sequence = excluded.last_sequence,
                    last_type = excluded.last_type, last_ts = excluded.last_ts
                """)
            for stream in streams.keys.sorted() {
                let state = streams[stream]!
                try SQLiteBinder.run(upsertStream, db) { statement in
                    SQLiteBinder.bind(statement, 1, stream)
                    sqlite3_bind_int64(statement, 2, Int64(state.version))
                    sqlite3_bind_int64(statement, 3, Int64(state.first))
                    sqlite3_bind_int64(statement, 4, Int64(state.last))
                    SQLiteBinder.bind(statement, 5, state.lastType)
                    sqlite3_bind_int64(statement, 6, state.lastTs)
                }
            }
            types = [:]
            streams = [:]
        }
    }
}

/// Every read model Clash Ledger maintains, in the order they are folded.
public enum ReadModels {
    public static var all: [any Projector] { [EventIndexProjector(), MarketTicksProjector(), MarketMemoryProjector(), ClonesProjector(), TradingProjector(), ArenaProjector()] }
}
