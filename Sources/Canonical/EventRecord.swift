/// An event as a writer hands it to the log, before the log gives it a sequence and a stream version.
public struct EventDraft: Sendable, Equatable {
    /// Unique id chosen by the writer; a retried append with the same id is not written twice.
    public var id: String
    /// Dotted event type, e.g. `market.tick`.
    public var type: String
    /// Version of the event type's schema.
    public var schemaVersion: Int
    /// The stream (aggregate) the event belongs to, e.g. `market.BTC-PERP`.
    public var stream: String
    /// When the event happened, in milliseconds since the Unix epoch, as the writer's clock said.
    public var timestampMs: Int64
    public var correlationId: String?
    public var causationId: String?
    /// The payload as one canonical JSON object (see `CanonicalJSON`).
    public var payload: [UInt8]

    public init(
        id: String, type: String, schemaVersion: Int = 1, stream: String, timestampMs: Int64,
        correlationId: String? = nil, causationId: String? = nil, payload: [UInt8]
    ) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.stream = stream
        self.timestampMs = timestampMs
        self.correlationId = correlationId
        self.causationId = causationId
        self.payload = payload
    }
}

/// An event as the log stores it: the draft plus its global sequence and stream version.
public struct LogRecord: Sendable, Equatable {
    /// Global position in the log, from 1, without gaps.
    public var sequence: UInt64
    public var id: String
    public var type: String
    public var schemaVersion: Int
    public var stream: String
    /// Position within the stream, from 1, without gaps.
    public var streamVersion: UInt64
    public var timestampMs: Int64
    public var correlationId: String?
    public var causationId: String?
    /// Canonical JSON of the payload object; a slice of the batch it was read from.
    public var payload: ArraySlice<UInt8>

    public init(sequence: UInt64, streamVersion: UInt64, draft: EventDraft) {
        self.sequence = sequence
        self.id = draft.id
        self.type = draft.type
        self.schemaVersion = draft.schemaVersion
        self.stream = draft.stream
        self.streamVersion = streamVersion
        self.timestampMs = draft.timestampMs
        self.correlationId = draft.correlationId
        self.causationId = draft.causationId
        self.payload = draft.payload[...]
    }

    package init(
        sequence: UInt64, id: String, type: String, schemaVersion: Int, stream: String, streamVersion: UInt64,
        timestampMs: Int64, correlationId: String?, causationId: String?, payload: ArraySlice<UInt8>
    ) {
        self.sequence = sequence
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.stream = stream
        self.streamVersion = streamVersion
        self.timestampMs = timestampMs
        self.correlationId = correlationId
        self.causationId = causationId
        self.payload = payload
    }

    /// The payload parsed as a JSON value.
    public func payloadValue() throws -> JSONValue { try JSONValue.parse(payload) }
}

