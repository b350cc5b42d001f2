/// What went wrong with a log on PostgreSQL, said so that a person knows what to do.
public enum PostgresLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL cannot be used.
    case badLocation(String)
    /// The server could not be reached or the connection broke; nothing in flight was acknowledged.
    case unavailable(location: String, reason: String)
    /// The server refused a statement.
    case server(location: String, operation: String, code: String, message: String)
    /// The server takes no writes (a hot standby): the write went nowhere.
    case readOnly(location: String, operation: String)
    /// A process manager's lease ended with its session: another may hold it now.
    case leaseLost(name: String, location: String, reason: String)
    /// A shipped migration's file no longer matches what the database applied.
    case migrationChanged(version: Int, name: String)
    /// The database's schema is newer than this build knows.
    case schemaTooNew(applied: Int, known: Int)
    /// A stored record does not read as one.
    case corrupt(sequence: UInt64, reason: String)

    public var description: String {
        switch self {
        case let .badLocation(reason): return reason
        case let .unavailable(location, reason):
            return "PostgreSQL at \(location) is unavailable: \(reason); nothing of the failed call was acknowledged — check that the server runs and accepts this user, then retry (an append retried with the same events is recognised as written)"
        case let .server(location, operation, code, message):
            return "PostgreSQL at \(location) refused \(operation): \(message) (SQLSTATE \(code))"
        case let .readOnly(location, operation):
            return "PostgreSQL at \(location) is read-only (a hot standby) and refused \(operation); nothing was written — write through the primary, and read here only a log the primary holds (a schema it has not created, or the standby has not yet replayed, is not here)"
        case let .leaseLost(name, location, reason):
            return "this \(name) lost its lease on \(location) (\(reason)); it stops, since a standby may have taken over — start it again to wait as a standby"
        case let .migrationChanged(version, name):
            return "migration \(version) (\(name)) differs from the one this database applied; shipped migrations are never edited — restore the file, and add a new migration for the change"
        case let .schemaTooNew(applied, known):
            return "this database's log schema is at migration \(applied), newer than this build's \(known); use a newer clash"
        case let .corrupt(sequence, reason):
            return "the record at sequence \(sequence) in PostgreSQL does not read: \(reason)"
        }
    }
}
