import LedgerLog

/// What projections can fail at, written for the person who must act on it.
public enum ProjectionError: Error, Sendable, CustomStringConvertible {
    /// An event that a projector cannot read: unknown version, or a payload missing a field.
    case badEvent(projector: String, sequence: UInt64, type: String, reason: String)
    /// An event whose type or version the catalog does not know.
    case unknownEvent(sequence: UInt64, type: String, version: Int)
    /// A read model's database is not what it should be.
    case database(projector: String, path: String?, reason: String)
    /// No projector of that name.
    case unknownProjector(String)
    /// A replayed read model differs from the live one.
    case replayMismatch(table: String, detail: String)

    public var description: String {
        switch self {
        case let .badEvent(projector, sequence, type, reason):
            return "projector \(projector) cannot fold event \(sequence) (\(type)): \(reason); the read model stands just before it — fix the event's schema or the projector, then run `clash projections rebuild \(projector)`"
        case let .unknownEvent(sequence, type, version):
            return "event \(sequence) is \(type) version \(version), which the event catalog does not know; the read models stand just before it — upgrade clash, or add the type to EventSchemas"
        case let .database(projector, path, reason):
            return "read model \(projector) at \(path ?? "(memory)"): \(reason); `clash projections rebuild \(projector)` builds it anew from the log"
        case let .unknownProjector(name):
            return "no projector named \(name); `clash projections status` lists them"
        case let .replayMismatch(table, detail):
            return "the read model rebuilt from the log differs from the live one in table \(table): \(detail)"
        }
    }
}
