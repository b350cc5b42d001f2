import Canonical

/// The context packet of a run was assembled from logged market events; the packet is in the artifact store.
public struct ContextAssembled: CatalogEvent {
    public static let type = "runtime.context_assembled"
    public static let version = 1
    public static let summary = "The context packet of a run was assembled from logged market events; the packet is in the artifact store (stream run.<clone>)."

    /// The run.
    public var runId: String
    /// SHA-256 of the canonical context packet.
    public var packetHash: String
    /// Last log sequence the packet reads.
    public var throughSequence: Int64
    /// Packet size.
    public var bytes: Int64

    public init(runId: String, packetHash: String, throughSequence: Int64, bytes: Int64) {
        self.runId = runId
        self.packetHash = packetHash
        self.throughSequence = throughSequence
        self.bytes = bytes
    }

    enum CodingKeys: String, CodingKey {
        case runId = "run_id"
        case packetHash = "packet_hash"
        case throughSequence = "through_sequence"
        case bytes
    }
}

extension ContextAssembled {
    public func canonicalPayload() throws -> [UInt8] {
        var json = CanonicalJSONWriter(capacity: 256)
        json.beginObject()
        json.key("bytes"); json.int(bytes)
        json.key("packet_hash"); json.string(packetHash)
        json.key("run_id"); json.string(runId)
        json.key("through_sequence"); json.int(throughSequence)
        json.endObject()
        return json.bytes
    }
}
