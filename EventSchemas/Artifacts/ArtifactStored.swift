/// A large payload (a prompt, a model answer, a context packet, a strategy graph) was stored by content hash.
public struct ArtifactStored: CatalogEvent {
    public static let type = "artifact.stored"
    public static let version = 1
    public static let summary = "A large payload (a prompt, a model answer, a context packet, a strategy graph) was stored by content hash (stream artifacts)."

    /// SHA-256 of the content.
    public var hash: String
    /// prompt, model_response, context_packet or strategy_graph.
    public var kind: String
    /// Size.
    public var bytes: Int64
    /// Media type.
    public var mediaType: String

    public init(hash: String, kind: String, bytes: Int64, mediaType: String) {
        self.hash = hash
        self.kind = kind
        self.bytes = bytes
        self.mediaType = mediaType
    }

    enum CodingKeys: String, CodingKey {
        case hash
        case kind
        case bytes
        case mediaType = "media_type"
    }
}
