/// A response that cannot be turned into events: which source, which request, which field, why.
/// Ingestion of a response is all or nothing, so nothing of it was written.
public struct IngestError: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var request: String
    /// A path into the response, e.g. `[1][3].markPx`.
    public var field: String
    public var reason: String

    public init(source: String, request: String, field: String, reason: String) {
        self.source = source
        self.request = request
        self.field = field
        self.reason = reason
    }

    public var description: String {
        "\(source) \(request): field \(field.isEmpty ? "(the response)" : field): \(reason); nothing of this response was written"
    }
}
