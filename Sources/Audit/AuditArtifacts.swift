import LedgerLog
import Runtime

/// The artifact store as an audit sees it: reads go to the store that came with the log (checked
/// against their names); what a re-run would store (packets, prompts) is only hashed, never
/// written, so an audit changes nothing, and works on a store it may not write.
final class AuditArtifacts: ArtifactStore, @unchecked Sendable {
    let store: any ArtifactStore

    init(_ store: any ArtifactStore) { self.store = store }

    func put(_ bytes: [UInt8], durable: Bool) throws -> String { ContentHash.of(bytes) }
    func putDerivable(_ bytes: [UInt8], hash: String) throws {}
    func get(_ hash: String) throws -> [UInt8] { try store.get(hash) }
    func contains(_ hash: String) throws -> Bool { try store.contains(hash) }
    func flush() throws {}
}
