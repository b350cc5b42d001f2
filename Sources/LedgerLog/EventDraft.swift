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

    init(
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

    /// The record's canonical JSON line (without the newline), exactly as stored.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalJSONWriter(capacity: 128 + payload.count)
        RecordCodec.encode(self, into: &writer)
        return writer.bytes
    }
}

/// What a stream's version must be for an append to go ahead.
public enum ExpectedVersion: Sendable, Equatable, CustomStringConvertible {
    /// No check.
    case any
    /// The stream must have no events yet.
    case noStream
    /// The stream's last event must have exactly this version.
    case exactly(UInt64)

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no stream"
        case .exactly(let version): "version \(version)"
        }
    }
}

/// The outcome of an append.
public struct AppendResult: Sendable, Equatable {
    /// Sequence of the first and last record of the append (for an idempotent retry, the originals).
    public var firstSequence: UInt64
    public var lastSequence: UInt64
    /// False when every draft was already in the log (a retry): nothing new was written.
    public var written: Bool

    public init(firstSequence: UInt64, lastSequence: UInt64, written: Bool) {
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.written = written
    }
}

/// Which records a read returns.
public struct RecordFilter: Sendable, Equatable {
    public var stream: String?
    public var type: String?

    public init(stream: String? = nil, type: String? = nil) {
        self.stream = stream
        self.type = type
    }

    public static let all = RecordFilter()

    public var isAll: Bool { stream == nil && type == nil }

    public func matches(_ record: LogRecord) -> Bool {
        (stream == nil || record.stream == stream) && (type == nil || record.type == type)
    }
}
