/// What a writer must know to accept an append: the head, every stream's version, and the ids of
/// the latest events (for idempotent retries). Shared by the file and the in-memory store.
struct WriterState {
    private(set) var headSequence: UInt64 = 0
    private(set) var streams: [String: UInt64] = [:]
    private var recentIds: [IdKey: UInt64] = [:]
    private var recentOrder: [IdKey] = []
    private var recentStart = 0
    let idempotencyWindow: Int

    init(idempotencyWindow: Int = LogLimits.idempotencyWindowEvents) {
        self.idempotencyWindow = idempotencyWindow
    }

    /// What an append will do.
    enum Plan {
        /// Every draft is already in the log: return the original result, write nothing.
        case duplicate(AppendResult)
        /// Write the drafts at these stream versions, from `firstSequence` on.
        case write(firstSequence: UInt64, streamVersions: [UInt64])
    }

    /// Checks an append against the state without changing it.
    func plan(_ drafts: [EventDraft], expectations: [String: ExpectedVersion]) throws(LogError) -> Plan {
        var seen = Set<IdKey>()
        var duplicates: [UInt64] = []
        for (index, draft) in drafts.enumerated() {
            let key = IdKey(draft.id)
            guard seen.insert(key).inserted else {
                throw LogError.invalidDraft(index: index, field: "id", reason: "id \(draft.id) appears twice in the append")
            }
            if let sequence = recentIds[key] { duplicates.append(sequence) }
        }
        if !duplicates.isEmpty {
            guard duplicates.count == drafts.count else {
                let ids = drafts.filter { recentIds[IdKey($0.id)] != nil }.map(\.id)
                throw LogError.partialDuplicate(ids: ids)
            }
            return .duplicate(AppendResult(firstSequence: duplicates.min()!, lastSequence: duplicates.max()!, written: false))
        }
        for (stream, expected) in expectations.sorted(by: { $0.key < $1.key }) {
            let actual = streams[stream] ?? 0
            let ok: Bool
            switch expected {
            case .any: ok = true
            case .noStream: ok = actual == 0
            case .exactly(let version): ok = actual == version
            }
            guard ok else { throw LogError.wrongExpectedVersion(stream: stream, expected: expected, actual: actual) }
        }
        var next: [String: UInt64] = [:]
        var versions: [UInt64] = []
        versions.reserveCapacity(drafts.count)
        for draft in drafts {
            let version = (next[draft.stream] ?? streams[draft.stream] ?? 0) + 1
            next[draft.stream] = version
            versions.append(version)
        }
        return .write(firstSequence: headSequence + 1, streamVersions: versions)
    }

    /// Records an event as written: it moves the head and its stream, and its id is remembered.
    mutating func apply(sequence: UInt64, id: String, stream: String, streamVersion: UInt64) {
        applyStream(sequence: sequence, stream: stream, streamVersion: streamVersion)
        rememberId(id, sequence: sequence)
    }

    /// Moves the head and the event's stream (used on open, for events after the checkpoint).
    mutating func applyStream(sequence: UInt64, stream: String, streamVersion: UInt64) {
        precondition(sequence == headSequence + 1, "records are applied in sequence order")
        headSequence = sequence
        streams[stream] = streamVersion
    }

    /// Remembers an event id for idempotent retries (used on open for the window before the head).
    mutating func rememberId(_ id: String, sequence: UInt64) {
        remember(IdKey(id), sequence: sequence)
    }

    /// Starts from a saved checkpoint of stream versions.
    mutating func restore(headSequence: UInt64, streams: [String: UInt64]) {
        precondition(self.headSequence == 0, "restore only a fresh state")
        self.headSequence = headSequence
        self.streams = streams
    }

    private mutating func remember(_ key: IdKey, sequence: UInt64) {
        recentIds[key] = sequence
        recentOrder.append(key)
        if recentOrder.count - recentStart > idempotencyWindow {
            recentIds[recentOrder[recentStart]] = nil
            recentStart += 1
            if recentStart >= idempotencyWindow {
                recentOrder.removeFirst(recentStart)
                recentStart = 0
            }
        }
    }
}

/// A 128-bit digest of an event id: two independently seeded hashes, so that a false match among
/// the window's ids would take a 2^-100 accident.
private struct IdKey: Hashable {
    let first: Int
    let second: Int

    init(_ id: String) {
        var hasher = Hasher()
        hasher.combine(id)
        first = hasher.finalize()
        var other = Hasher()
        other.combine(0x5EED_C1A5)
        other.combine(id)
        second = other.finalize()
    }
}

/// Checks drafts before anything is written.
enum DraftValidator {
    static func validate(_ drafts: [EventDraft]) throws(LogError) {
        var bytes = 0
        for (index, draft) in drafts.enumerated() {
            try name(draft.id, field: "id", index: index)
            try name(draft.stream, field: "stream", index: index)
            try type(draft.type, index: index)
            if let correlation = draft.correlationId { try name(correlation, field: "correlation", index: index) }
            if let causation = draft.causationId { try name(causation, field: "causation", index: index) }
            guard draft.schemaVersion >= 1, draft.schemaVersion <= Int(Int32.max) else {
                throw LogError.invalidDraft(index: index, field: "schema", reason: "schema version \(draft.schemaVersion) is not a positive integer")
            }
            guard draft.payload.count <= LogLimits.payloadBytesMax else {
                throw LogError.invalidDraft(index: index, field: "payload", reason: "\(draft.payload.count) bytes exceed the limit of \(LogLimits.payloadBytesMax)")
            }
            do {
                try CanonicalJSON.validateObject(draft.payload)
            } catch {
                throw LogError.invalidDraft(index: index, field: "payload", reason: "not canonical JSON: \(error)")
            }
            bytes += draft.payload.count + draft.id.utf8.count + draft.stream.utf8.count + draft.type.utf8.count + 160
        }
        guard drafts.count <= LogLimits.batchRecordsMax, bytes <= LogLimits.batchBytesMax else {
            throw LogError.appendTooLarge(records: drafts.count, bytes: bytes)
        }
    }

    private static func name(_ value: String, field: String, index: Int) throws(LogError) {
        let count = value.utf8.count
        guard count >= 1, count <= LogLimits.nameBytesMax else {
            throw LogError.invalidDraft(index: index, field: field, reason: "must be 1 to \(LogLimits.nameBytesMax) bytes, is \(count)")
        }
        guard !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw LogError.invalidDraft(index: index, field: field, reason: "contains a control character")
        }
    }

    private static func type(_ value: String, index: Int) throws(LogError) {
        let allowed = value.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard allowed, let first = value.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first), value.utf8.count <= 128 else {
            throw LogError.invalidDraft(index: index, field: "type", reason: "\(value.debugDescription) must be 1 to 128 of a-z 0-9 . _ - starting with a letter")
        }
    }
}
