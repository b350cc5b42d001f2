import GRDB
import LedgerLog

/// A read model folded from the log: a name, a version, its SQL schema (a `.sql` file beside its
/// fold) and the fold itself. A fold writes only to its own database: no clock, no randomness, no
/// other I/O, so replaying the same log always yields the same rows.
public protocol Projector: Sendable {
    /// Names the read model's database file, `<name>.sqlite`.
    var name: String { get }
    /// Raised when the fold changes meaning; a changed version or schema rebuilds the read model.
    var version: Int { get }
    /// The read model's tables, from its `.sql` resource.
    var schemaSQL: String { get }
    /// The event types the fold reads; nil for every event.
    var eventTypes: Set<String>? { get }
    /// Starts folding into `db` (inside a transaction): prepare statements, nothing else.
    func makeFold(_ db: Database) throws -> any ProjectorFold
}

/// One fold session over a run of events, inside one database transaction.
public protocol ProjectorFold {
    /// Folds one event. Throws `ProjectionError.badEvent` for an event it cannot read.
    mutating func apply(_ record: LogRecord) throws
    /// Writes what the fold keeps in memory, before the transaction commits.
    mutating func flush() throws
}

extension Projector {
    /// A hash of the schema text and version: a read model built under another one is rebuilt.
    public var schemaHash: String {
        ChainHash.genesis.next(Array("\(name)\n\(version)\n\(schemaSQL)".utf8)).hex
    }

    /// Whether the fold reads events of `type`.
    public func reads(_ type: String) -> Bool { eventTypes?.contains(type) ?? true }
}
