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

extension LogRecord {
    /// The record's canonical JSON line (without the newline), exactly as stored.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalJSONWriter(capacity: 128 + payload.count)
        RecordCodec.encode(self, into: &writer)
        return writer.bytes
    }
}
