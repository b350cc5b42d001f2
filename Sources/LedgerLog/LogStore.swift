#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Read access to a log: a file log, an in-memory log, or a read-only `LogReader`.
public protocol LogReading: AnyObject, Sendable {
    /// The last sequence and chain value readable now.
    var head: LogHead { get throws }
    /// Calls `body` with each record from `sequence` on that matches `filter`, until it returns false.
    func forEach(from sequence: UInt64, filter: RecordFilter, _ body: (LogRecord) throws -> Bool) throws
    /// Looks again for what was appended since the last look (a no-op for stores that always see it).
    func refresh() throws
    /// Calls `body` with the sequence and the canonical bytes (as stored, without the newline) of
    /// each record from `sequence` on, until it returns false: what the Merkle tree's leaves hash.
    func forEachCanonical(from sequence: UInt64, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool) throws
    /// The chain value after the batch that ends at `sequence` (the head's once that batch was
    /// written), or nil when no batch ends there (or the store keeps no earlier chain values).
    func chain(endingAt sequence: UInt64) throws -> ChainHash?
    /// Waits until something may have been appended, or `milliseconds` have passed: a store that
    /// is told of appends (PostgreSQL's LISTEN) wakes when told; others sleep.
    func waitForAppends(milliseconds: Int) throws
}

extension LogReading {
    public func refresh() throws {}

    public func waitForAppends(milliseconds: Int) throws {
        usleep(UInt32(milliseconds * 1000))
    }

    /// The head's chain value when the head is at `sequence`; a store that keeps its batches says more.
    public func chain(endingAt sequence: UInt64) throws -> ChainHash? {
        let head = try head
        return head.sequence == sequence ? head.chain : nil
    }

    /// Re-encodes each record: the canonical form is unique, so these are the bytes a file log stores.
    public func forEachCanonical(from sequence: UInt64, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool) throws {
        var writer = CanonicalJSONWriter()
        try forEach(from: sequence, filter: .all) { record in
            writer.reset()
            RecordCodec.encode(record, into: &writer)
            return try writer.bytes.withUnsafeBytes { try body(record.sequence, $0) }
        }
    }
}

/// A log that can be appended to: the file store and the in-memory store run the same tests.
public protocol LogStore: LogReading {
    /// Appends drafts atomically: all are written, or none. Returns once the append is as durable as
    /// the store's policy promises. A retry of an append already in the log returns the original
    /// positions and writes nothing.
    @discardableResult
    func append(_ drafts: [EventDraft], expectations: [String: ExpectedVersion]) throws -> AppendResult
    /// The version of a stream's last event (0 for a stream with no events).
    func streamVersion(_ stream: String) throws -> UInt64
    /// Writes what is pending and releases the log.
    func close() throws
}

extension LogStore {
    /// Appends with no expected-version check.
    @discardableResult
    public func append(_ drafts: [EventDraft]) throws -> AppendResult {
        try append(drafts, expectations: [:])
    }

    /// Appends drafts to one stream, requiring it to be at `expected`.
    @discardableResult
    public func append(_ drafts: [EventDraft], expecting expected: ExpectedVersion, on stream: String) throws -> AppendResult {
        try append(drafts, expectations: [stream: expected])
    }

    /// Appends a long run as appends of `chunk` drafts each, waiting for each before the next, so
    /// that each is a batch of its own however fast the disk is: the same drafts give the same
    /// batches, and so the same chain. (`FileLog.appendAll` overlaps them and may merge a few into
    /// one batch: faster, but its batches vary from run to run.) Returns the last sequence.
    @discardableResult
    public func appendInBatches(_ drafts: some Sequence<EventDraft>, chunk: Int = 4_096) throws -> UInt64 {
        var last = try head.sequence
        var pending: [EventDraft] = []
        pending.reserveCapacity(chunk)
        for draft in drafts {
            pending.append(draft)
            if pending.count == chunk {
                last = try append(pending).lastSequence
                pending.removeAll(keepingCapacity: true)
            }
        }
        if !pending.isEmpty { last = try append(pending).lastSequence }
        return last
    }
}

extension LogReading {
    /// Up to `limit` records from `sequence` on that match `filter`.
    public func read(from sequence: UInt64 = 1, limit: Int = .max, filter: RecordFilter = .all) throws -> [LogRecord] {
        var out: [LogRecord] = []
        guard limit > 0 else { return out }
        try forEach(from: sequence, filter: filter) { record in
            out.append(record)
            return out.count < limit
        }
        return out
    }

    /// Every record of a stream, in order.
    public func read(stream: String) throws -> [LogRecord] {
        try read(filter: RecordFilter(stream: stream))
    }

    /// Delivers records from `sequence` on as they are appended, looking every `pollMilliseconds`
    /// (or when the store says an append committed), until `body` returns false or `shouldStop`
    /// says so. Returns the next sequence to read.
    @discardableResult
    public func follow(
        from sequence: UInt64 = 1, filter: RecordFilter = .all, pollMilliseconds: Int = 50,
        shouldStop: () -> Bool = { false }, _ body: (LogRecord) throws -> Bool
    ) throws -> UInt64 {
        var next = max(sequence, 1)
        while !shouldStop() {
            try refresh()
            let head = try head.sequence
            if head >= next {
                var keepGoing = true
                try forEach(from: next, filter: .all) { record in
                    next = record.sequence + 1
                    if filter.matches(record) { keepGoing = try body(record) }
                    return keepGoing && record.sequence < head
                }
                if !keepGoing { return next }
            } else {
                try waitForAppends(milliseconds: pollMilliseconds)
            }
        }
        return next
    }
}

extension LogReader: LogReading {}
