import Domain
import EventSchemas
import GRDB
import LedgerLog

/// The `clones` read model: each clone's public identity, owner, status (`CloneStatus`: its audition,
/// the queue and the arena's slots move it) and current strategy hash.
public struct ClonesProjector: Projector {
    public let name = "clones"
    public let version = 2
    public let schemaSQL = Resources.sql("clones")
    public let eventTypes: Set<String>? = CloneStatus.eventTypes.union([CloneIdentityChanged.type, CloneStrategyChanged.type])

    public init() {}

    public func makeFold(_ db: Database) throws -> any ProjectorFold { Fold(db: db) }

    struct Fold: ProjectorFold {
        let db: Database

        mutating func apply(_ record: LogRecord) throws {
            let event: any CatalogEvent
            do {
                event = try EventCatalog.decode(record)
            } catch {
                throw ProjectionError.badEvent(projector: "clones", sequence: record.sequence, type: record.type, reason: "\(error)")
            }
            let at = record.timestampMs
            let sequence = Int64(record.sequence)
            switch event {
            case let created as CloneCreated:
                try db.execute(sql: """
                    INSERT INTO clone (clone_id, owner, name, avatar_text, tagline, status, strategy_hash, granularity, audition_fee_wei,
                                       strategy_changes, created_ms, updated_ms, created_sequence, last_sequence)
                    VALUES (?, ?, ?, ?, ?, 'created', ?, ?, ?, 0, ?, ?, ?, ?)
                    """, arguments: [created.cloneId, created.creator, created.identity.name, created.identity.avatarText,
                                     created.identity.tagline, created.strategyHash, created.granularity,
                                     created.auditionFeeWei.description, at, at, sequence, sequence])
                try strategy(created.cloneId, at, sequence, created.strategyHash, created.granularity)
            case let changed as CloneIdentityChanged:
                try db.execute(sql: """
                    UPDATE clone SET name = ?, avatar_text = ?, tagline = ?, updated_ms = ?, last_sequence = ? WHERE clone_id = ?
                    """, arguments: [changed.identity.name, changed.identity.avatarText, changed.identity.tagline, at, sequence, changed.cloneId])
            case let changed as CloneStrategyChanged:
                try db.execute(sql: """
                    UPDATE clone SET strategy_hash = ?, granularity = ?, strategy_changes = strategy_changes + 1, updated_ms = ?,
                                     last_sequence = ? WHERE clone_id = ?
                    """, arguments: [changed.strategyHash, changed.granularity, at, sequence, changed.cloneId])
                try strategy(changed.cloneId, at, sequence, changed.strategyHash, changed.granularity)
            case let retired as CloneRetired:
                try db.execute(sql: """
                    UPDATE clone SET retired_ms = ?, retired_reason = ?, updated_ms = ?, last_sequence = ? WHERE clone_id = ?
                    """, arguments: [at, retired.reason, at, sequence, retired.cloneId])
            default:
                break
            }
            if let (cloneId, next) = CloneStatus.transition(event), !(event is CloneCreated) {
                try move(cloneId, to: next, record)
            }
        }

        /// The clone's status moved on (`CloneStatus`, the one definition), or an error when the event
        /// names a clone no clone.created before it made.
        func move(_ cloneId: String, to next: CloneStatus, _ record: LogRecord) throws {
            guard let text = try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM clone WHERE clone_id = ?"), arguments: [cloneId]) else {
                throw ProjectionError.badEvent(projector: "clones", sequence: record.sequence, type: record.type,
                                               reason: "clone_id: \(cloneId) was never created")
            }
            guard let status = CloneStatus(rawValue: text) else {
                throw ProjectionError.badEvent(projector: "clones", sequence: record.sequence, type: record.type,
                                               reason: "clone \(cloneId)'s status \(text.debugDescription) is not a clone status")
            }
            try db.cachedStatement(sql: "UPDATE clone SET status = ? WHERE clone_id = ?").execute(arguments: [status.moved(to: next).rawValue, cloneId])
        }

        func strategy(_ cloneId: String, _ at: Int64, _ sequence: Int64, _ hash: String, _ granularity: String) throws {
            try db.execute(sql: "INSERT INTO clone_strategy VALUES (?, ?, ?, ?, ?)", arguments: [cloneId, at, sequence, hash, granularity])
        }

        mutating func flush() throws {}
    }
}
