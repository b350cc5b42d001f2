/// What a writer must know to accept an append: the head, every stream's version, and the ids of
/// the latest events (for idempotent retries). Shared by the file and the in-memory store.
struct WriterState {
    private(set) var headSequence: UInt64 = 0
    private var streamVersions: [StreamKey: UInt64] = [:]

    /// Every stream's current version.
    var streams: [String: UInt64] {
        Dictionary(uniqueKeysWithValues: streamVersions.map { ($0.key.name, $0.value) })
    }

    /// The stream versions as they are now, without copying (copy-on-write).
    var streamSnapshot: [StreamKey: UInt64] { streamVersions }

    /// The version of a stream's last event (0 for none).
    func version(of stream: String) -> UInt64 { streamVersions[StreamKey(stream)] ?? 0 }
    /// Ids of the latest events in two generations: the current one fills up to the window, then
    /// becomes the previous one and the oldest generation is dropped whole. So the window always
    /// holds the latest `idempotencyWindow` ids at least (and twice that at most), with no
    /// per-event eviction work.
    private var recentIds: IdTable
    private var olderIds: IdTable
    /// Scratch space for finding an id given twice in one append; empty between appends.
    private var appendIds: IdTable?
    let idempotencyWindow: Int

    init(idempotencyWindow: Int = LogLimits.idempotencyWindowEvents) {
        self.idempotencyWindow = idempotencyWindow
        recentIds = IdTable(capacity: idempotencyWindow)
        olderIds = IdTable(capacity: idempotencyWindow)
    }

    private func sequence(of key: IdKey) -> UInt64? { recentIds.sequence(of: key) ?? olderIds.sequence(of: key) }

    /// Checks an append against the state without changing it (the scratch table is left empty).
    /// Returns the original result when every draft is already in the log (a retry), nil when the
    /// drafts are new and may be accepted.
    mutating func check(_ drafts: [EventDraft], keys: [IdKey], expectations: [String: ExpectedVersion]) throws(LogError) -> AppendResult? {
        var duplicates: [UInt64] = []
        for key in keys {
            if let sequence = sequence(of: key) { duplicates.append(sequence) }
        }
        if keys.count > 1, let index = firstRepeat(keys) {
            throw LogError.invalidDraft(index: index, field: "id", reason: "id \(drafts[index].id) appears twice in the append")
        }
        if !duplicates.isEmpty {
            guard duplicates.count == drafts.count else {
                let ids = drafts.indices.filter { sequence(of: keys[$0]) != nil }.map { drafts[$0].id }
                throw LogError.partialDuplicate(ids: ids)
            }
            return AppendResult(firstSequence: duplicates.min()!, lastSequence: duplicates.max()!, written: false)
        }
        for (stream, expected) in expectations.sorted(by: { $0.key < $1.key }) {
            let actual = version(of: stream)
            let ok: Bool
            switch expected {
            case .any: ok = true
            case .noStream: ok = actual == 0
            case .exactly(let version): ok = actual == version
            }
            guard ok else { throw LogError.wrongExpectedVersion(stream: stream, expected: expected, actual: actual) }
        }
        return nil
    }

    /// The index of the first key that an earlier key of the same append repeats.
    private mutating func firstRepeat(_ keys: [IdKey]) -> Int? {
        if appendIds == nil { appendIds = IdTable(capacity: LogLimits.batchRecordsMax) }
        var inserted = 0
        while inserted < keys.count, appendIds!.insert(keys[inserted], sequence: UInt64(inserted) + 1) { inserted += 1 }
        appendIds!.remove(all: keys[..<inserted])
        return inserted < keys.count ? inserted : nil
    }

    /// Accepts checked drafts: gives each its sequence and stream version, and calls `place` with
    /// (index, sequence, stream version).
    mutating func accept(_ drafts: [EventDraft], keys: [IdKey], place: (Int, UInt64, UInt64) -> Void) {
        for index in drafts.indices {
            let sequence = headSequence + 1
            let version = Self.increment(&streamVersions[StreamKey(drafts[index].stream), default: 0])
            headSequence = sequence
            remember(keys[index], sequence: sequence)
            place(index, sequence, version)
        }
    }

    private static func increment(_ value: inout UInt64) -> UInt64 {
        value += 1
        return value
    }

    /// Moves the head and the event's stream (used on open, for events after the checkpoint).
    mutating func applyStream(sequence: UInt64, stream: String, streamVersion: UInt64) {
        precondition(sequence == headSequence + 1, "records are applied in sequence order")
        headSequence = sequence
        streamVersions[StreamKey(stream)] = streamVersion
    }

    /// Remembers an event id for idempotent retries (used on open for the window before the head).
    mutating func rememberId(_ id: String, sequence: UInt64) {
        remember(IdKey(id), sequence: sequence)
    }

    /// Starts from a saved checkpoint of stream versions.
    mutating func restore(headSequence: UInt64, streams: [String: UInt64]) {
        precondition(self.headSequence == 0, "restore only a fresh state")
        self.headSequence = headSequence
        streamVersions = Dictionary(uniqueKeysWithValues: streams.map { (StreamKey($0.key), $0.value) })
    }

    private mutating func remember(_ key: IdKey, sequence: UInt64) {
        if recentIds.count >= idempotencyWindow {
            swap(&recentIds, &olderIds)
            recentIds.removeAll()
        }
        recentIds.insert(key, sequence: sequence)
    }
}

/// A stream name with its hash computed once, by the same fast digest as ids, so that the
/// per-event version lookup does not run SipHash over the whole name.
struct StreamKey: Hashable {
    let name: String
    private let digest: UInt64

    init(_ name: String) {
        self.name = name
        var name = name
        digest = name.withUTF8 { IdKey.lane(UnsafeRawBufferPointer($0)) }
    }

    static func == (lhs: StreamKey, rhs: StreamKey) -> Bool { lhs.digest == rhs.digest && lhs.name == rhs.name }

    func hash(into hasher: inout Hasher) { hasher.combine(digest) }
}

/// A 128-bit digest of an event id: two independent 64-bit hashes of its UTF-8 bytes, so that a
/// false match among the window's ids would take a 2^-100 accident.
struct IdKey: Equatable {
    let first: UInt64
    let second: UInt64

    init(first: UInt64, second: UInt64) {
        self.first = first
        self.second = second
    }

    init(_ id: String) {
        var id = id
        (first, second) = id.withUTF8 { Self.digest(UnsafeRawBufferPointer($0)) }
    }

    /// Two multiply-xorshift lanes over 8-byte words (wyhash-style mixing), length folded in.
    private static func digest(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var a: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F &+ UInt64(bytes.count)
        var offset = 0
        while offset < bytes.count {
            var word: UInt64 = 0
            let take = min(8, bytes.count - offset)
            withUnsafeMutableBytes(of: &word) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)])) }
            a = mix(a ^ word, 0xBF58_476D_1CE4_E5B9)
            b = mix(b &+ word, 0x94D0_49BB_1331_11EB)
            offset += 8
        }
        return (mix(a, 0xFF51_AFD7_ED55_8CCD), mix(b ^ a, 0xC4CE_B9FE_1A85_EC53))
    }

    /// The first lane alone: enough to spread a hash table (equality is checked on the name).
    static func lane(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var a: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var offset = 0
        while offset < bytes.count {
            var word: UInt64 = 0
            let take = min(8, bytes.count - offset)
            withUnsafeMutableBytes(of: &word) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)])) }
            a = mix(a ^ word, 0xBF58_476D_1CE4_E5B9)
            offset += 8
        }
        return mix(a, 0xFF51_AFD7_ED55_8CCD)
    }

    private static func mix(_ value: UInt64, _ multiplier: UInt64) -> UInt64 {
        let product = value.multipliedFullWidth(by: multiplier)
        return product.high ^ product.low
    }
}

/// Checks drafts before anything is written (every store runs it).
public enum DraftValidator {
    /// Returns the most bytes the drafts' records can take, encoded: payloads, names as escaped,
    /// and `LogLimits.envelopeBytesMax` each. What the log admits by this bound always fits in
    /// one batch, so an append is written whole, in one batch.
    @discardableResult
    public static func validate(_ drafts: [EventDraft]) throws(LogError) -> Int {
        var bytes = 0
        for index in drafts.indices {
            let draft = drafts[index]
            bytes += try name(draft.id, field: "id", index: index)
            bytes += try name(draft.stream, field: "stream", index: index)
            try type(draft.type, index: index)
            bytes += draft.type.utf8.count
            if let correlation = draft.correlationId { bytes += try name(correlation, field: "correlation", index: index) }
            if let causation = draft.causationId { bytes += try name(causation, field: "causation", index: index) }
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
            bytes += draft.payload.count + LogLimits.envelopeBytesMax
        }
        guard drafts.count <= LogLimits.batchRecordsMax, bytes <= LogLimits.batchBytesMax else {
            throw LogError.appendTooLarge(records: drafts.count, bytes: bytes)
        }
        return bytes
    }

    /// Checks a name; returns the bytes it takes escaped (a quote or backslash takes two).
    private static func name(_ value: String, field: String, index: Int) throws(LogError) -> Int {
        var value = value
        let (count, escapes, hasControl) = value.withUTF8 { utf8 -> (Int, Int, Bool) in
            var control = false
            var escapes = 0
            for byte in utf8 {
                if byte < 0x20 || byte == 0x7F { control = true }
                if byte == 0x22 || byte == 0x5C { escapes += 1 }
            }
            return (utf8.count, escapes, control)
        }
        guard count >= 1, count <= LogLimits.nameBytesMax else {
            throw LogError.invalidDraft(index: index, field: field, reason: "must be 1 to \(LogLimits.nameBytesMax) bytes, is \(count)")
        }
        guard !hasControl else {
            throw LogError.invalidDraft(index: index, field: field, reason: "contains a control character")
        }
        return count + escapes
    }

    private static func type(_ value: String, index: Int) throws(LogError) {
        var text = value
        let allowed = text.withUTF8 { utf8 -> Bool in
            guard let first = utf8.first, first &- 0x61 < 26, utf8.count <= 128 else { return false }
            var ok = true
            for byte in utf8 where !(byte &- 0x61 < 26 || byte &- 0x30 < 10 || byte == 0x2E || byte == 0x5F || byte == 0x2D) { ok = false }
            return ok
        }
        guard allowed else {
            throw LogError.invalidDraft(index: index, field: "type", reason: "\(value.debugDescription) must be 1 to 128 of a-z 0-9 . _ - starting with a letter")
        }
    }
}
