import EventSchemas

/// A catalog event made from a source's response, and the stream it belongs to.
public struct NormalizedEvent: Sendable {
    public var stream: String
    public var event: any CatalogEvent

    public init(stream: String, event: any CatalogEvent) {
        self.stream = stream
        self.event = event
    }
}
