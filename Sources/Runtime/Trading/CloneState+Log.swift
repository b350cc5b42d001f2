import Domain
import EventSchemas
import LedgerLog

extension LogReading {
    /// A clone's state, folded from its stream (a clone never created has version 0).
    public func cloneState(_ cloneId: String) throws -> CloneState {
        try CloneState.folded(cloneId, try read(stream: CloneDecider.stream(cloneId)))
    }
}

extension CloneState {
    /// A clone's state from its stream's records, already read.
    public static func folded(_ cloneId: String, _ records: [LogRecord]) throws -> CloneState {
        CloneDecider.fold(cloneId, try records.compactMap { CloneEvent(try EventCatalog.decode($0)) })
    }
}
