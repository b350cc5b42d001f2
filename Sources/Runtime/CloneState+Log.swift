import Domain
import EventSchemas
import LedgerLog

extension LogReading {
    /// A clone's state, folded from its stream (a clone never created has version 0).
    public func cloneState(_ cloneId: String) throws -> CloneState {
        CloneDecider.fold(cloneId, try read(stream: CloneDecider.stream(cloneId)).compactMap { CloneEvent(try EventCatalog.decode($0)) })
    }
}
