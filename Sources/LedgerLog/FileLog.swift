import Foundation

/// The durable log: segments of LZ4 batches in a data directory, written by one writer at a time.
///
/// An append is checked and placed (sequence, stream version) on the caller's thread and joins the
/// pending batch; a committer thread encodes, compresses, chains, writes and fsyncs each batch
/// (group commit). The two halves run on two cores at once.
public final class FileLog: LogStore, @unchecked Sendable {
    public let directory: String
    public let options: FileLogOptions
    /// What opening found at the tail of the log and did about it.
    public let recovery: RecoveryReport

    private let lock: WriterLock
    private let segmentWriter: SegmentWriter
    /// Readers not in use: each `forEach` takes one (or opens another), so readers on several
    /// threads (a projection following the log while a runtime reads it) never wait for each other.
    private var idleReaders: [LogReader]
    private let readerLock = NSLock()

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var state: WriterState
    private var pending = PendingBatch()
    /// Encoding space of the thread that writes batches (the committer, or an appender under `always`).
    private var encodeBuffer: CanonicalJSONWriter?
    private var writtenHead: LogHead
    private var failure: String?
    private var closing = false
    private var closed = false
    private var committerRunning = false
    private var checkpointWanted = false

    init(directory: String, options: FileLogOptions, lock: WriterLock, segmentWriter: SegmentWriter,
         reader: LogReader, state: WriterState, recovery: RecoveryReport) {
        self.directory = directory
        self.options = options
        self.lock = lock
        self.segmentWriter = segmentWriter
        idleReaders = [reader]
        self.state = state
        self.recovery = recovery
        writtenHead = LogHead(sequence: segmentWriter.lastSequence, chain: segmentWriter.chain)
        if options.fsync != .always {
            committerRunning = true
            let thread = Thread { [self] in runCommitter() }
            thread.name = "clash-log-committer"
            thread.start()
        }
    }

    deinit {
        if !closed { try? close() }
    }

    // MARK: - Appending

    @discardableResult
    public func append(_ drafts: [EventDraft], expectations: [String: ExpectedVersion]) throws -> AppendResult {
        let result = try submit(drafts, expectations: expectations)
        try waitUntilDurable(result.lastSequence)
        return result
    }

    /// Accepts an append in order and returns at once; it is durable after `waitUntilDurable` or
    /// `onDurable` reports its last sequence. Checks (ids, expected versions) are done here.
    @discardableResult
    public func submit(_ drafts: [EventDraft], expectations: [String: ExpectedVersion] = [:]) throws -> AppendResult {
        guard !drafts.isEmpty else {
            let head = self.head.sequence
            return AppendResult(firstSequence: head + 1, lastSequence: head, written: false)
        }
        let bound = try DraftValidator.validate(drafts)
        let keys = drafts.map { IdKey($0.id) }
        condition.lock()
        defer { condition.unlock() }
        try checkOpen()
        while pending.count > 0
            && (pending.count + drafts.count > LogLimits.batchRecordsMax || pending.bytes + bound > LogLimits.batchBytesMax) {
            condition.wait()
            try checkOpen()
        }
        if let original = try state.check(drafts, keys: keys, expectations: expectations) {
            return original
        }
        let first = state.headSequence + 1
        if pending.count == 0 { pending.firstSequence = first }
        // Into a local, so that the closure does not reach into `pending` once per draft.
        var versions: [UInt64] = []
        swap(&versions, &pending.streamVersions)
        state.accept(drafts, keys: keys) { _, _, streamVersion in versions.append(streamVersion) }
        swap(&versions, &pending.streamVersions)
        pending.drafts.append(drafts)
        pending.count += drafts.count
        pending.bytes += bound
        let last = first + UInt64(drafts.count) - 1
        if options.fsync == .always {
            try commitPendingInline()
        } else {
            condition.broadcast()
        }
        return AppendResult(firstSequence: first, lastSequence: last, written: true)
    }

    /// Appends a long run of drafts as appends of `chunk` drafts each (each one atomic, accepted
    /// while earlier ones are still being written), and returns when all are durable. Returns the
    /// last sequence written (the head when there was nothing to write).
    @discardableResult
    public func appendAll(_ drafts: some Sequence<EventDraft>, chunk: Int = 4_096) throws -> UInt64 {
        var last = head.sequence
        var pending: [EventDraft] = []
        pending.reserveCapacity(chunk)
        for draft in drafts {
            pending.append(draft)
            if pending.count == chunk {
                last = try submit(pending).lastSequence
                pending.removeAll(keepingCapacity: true)
            }
        }
        if !pending.isEmpty { last = try submit(pending).lastSequence }
        try waitUntilDurable(last)
        return last
    }

    /// Blocks until every record up to `sequence` is written and fsynced as the policy promises.
    public func waitUntilDurable(_ sequence: UInt64) throws {
        condition.lock()
        defer { condition.unlock() }
        while writtenHead.sequence < sequence {
            if let failure { throw LogError.writerFailed(reason: failure) }
            guard !closed else { throw LogError.closed }
            condition.wait()
        }
    }

    public func streamVersion(_ stream: String) throws -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        return state.version(of: stream)
    }

    /// Writes what is pending, saves the stream checkpoint and releases the writer lock.
    /// Tells a writer refused by this one's lock what this one is, beside its pid and command
    /// (`clash serve` names the address it listens on).
    public func announceWriter(_ note: String) { lock.announce(note) }

    public func close() throws {
        condition.lock()
        if closed {
            condition.unlock()
            return
        }
        closing = true
        condition.broadcast()
        while committerRunning { condition.wait() }
        closed = true
        let failed = failure
        condition.broadcast()
        condition.unlock()
        defer {
            segmentWriter.close()
            lock.release()
        }
        if let failed { throw LogError.writerFailed(reason: failed) }
        try segmentWriter.writeCheckpoint(streams: state.streams)
    }

    // MARK: - Reading

    public var head: LogHead {
        condition.lock()
        defer { condition.unlock() }
        return writtenHead
    }

    public func forEach(from sequence: UInt64, filter: RecordFilter, _ body: (LogRecord) throws -> Bool) throws {
        let limit = head.sequence
        let reader = try readerLock.withLock { idleReaders.popLast() } ?? LogReader(directory: directory)
        defer { readerLock.withLock { idleReaders.append(reader) } }
        try reader.refresh()
        try reader.forEach(from: sequence, filter: filter) { record in
            guard record.sequence <= limit else { return false }
            return try body(record)
        }
    }

    public func forEachCanonical(from sequence: UInt64, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool) throws {
        let limit = head.sequence
        let reader = try readerLock.withLock { idleReaders.popLast() } ?? LogReader(directory: directory)
        defer { readerLock.withLock { idleReaders.append(reader) } }
        try reader.refresh()
        try reader.forEachCanonical(from: sequence) { sequence, bytes in
            guard sequence <= limit else { return false }
            return try body(sequence, bytes)
        }
    }

    public func chain(endingAt sequence: UInt64) throws -> ChainHash? {
        guard sequence <= head.sequence else { return nil }
        let reader = try readerLock.withLock { idleReaders.popLast() } ?? LogReader(directory: directory)
        defer { readerLock.withLock { idleReaders.append(reader) } }
        try reader.refresh()
        return try reader.chain(endingAt: sequence)
    }

    // MARK: - Committing

    private func checkOpen() throws(LogError) {
        if let failure { throw LogError.writerFailed(reason: failure) }
        if closing || closed { throw LogError.closed }
    }

    /// Under the `always` policy: writes the pending batch on the appender's thread, lock held.
    private func commitPendingInline() throws {
        let batch = takePending()
        do {
            try write(batch)
        } catch {
            failure = "\(error)"
            condition.broadcast()
            throw error
        }
        noteWritten()
        options.onDurable?(writtenHead.sequence)
    }

    /// Takes the pending batch (lock held). After a segment rotation it also takes a snapshot of
    /// the stream versions, exact as of the batch's end, for the checkpoint written with it.
    private func takePending() -> PendingBatch {
        var batch = pending.take()
        if checkpointWanted {
            batch.streamsAfter = state.streamSnapshot
            checkpointWanted = false
        }
        return batch
    }

    /// Encodes the batch's records and hands them to the segment writer (no lock needed: one
    /// thread writes at a time).
    private func write(_ batch: PendingBatch) throws(LogError) {
        var lines = encodeBuffer.take() ?? CanonicalJSONWriter(capacity: 1 << 20)
        defer { encodeBuffer = lines }
        lines.reset()
        var sequence = batch.firstSequence
        var index = 0
        for drafts in batch.drafts {
            for draft in drafts {
                RecordCodec.encode(draft, sequence: sequence, streamVersion: batch.streamVersions[index], into: &lines)
                lines.newline()
                sequence += 1
                index += 1
            }
        }
        // Appends are admitted by an upper bound of their encoded size, so this always holds.
        precondition(lines.bytes.count <= LogLimits.batchBytesMax, "a pending batch encoded larger than its bound")
        try segmentWriter.write(lines.bytes, recordCount: batch.count, firstSequence: batch.firstSequence,
                                lastTimestampMs: batch.lastTimestampMs)
        if let snapshot = batch.streamsAfter {
            try segmentWriter.writeCheckpoint(streams: Dictionary(uniqueKeysWithValues: snapshot.map { ($0.key.name, $0.value) }))
        }
    }

    /// Called with the lock held after each write: asks for a checkpoint after a rotation.
    private func noteWritten() {
        writtenHead = LogHead(sequence: segmentWriter.lastSequence, chain: segmentWriter.chain)
        if segmentWriter.rotated { checkpointWanted = true }
        condition.broadcast()
    }

    private func runCommitter() {
        guard let limits = groupCommitLimits() else { return }
        let (delayMilliseconds, maxRecords) = limits
        condition.lock()
        while true {
            while pending.count == 0 && !closing { condition.wait() }
            if pending.count == 0 { break }
            let deadline = Date(timeIntervalSinceNow: Double(delayMilliseconds) / 1000)
            while pending.count < maxRecords && !closing && condition.wait(until: deadline) {}
            let batch = takePending()
            condition.broadcast()
            condition.unlock()
            var error: LogError?
            do { try write(batch) } catch let caught { error = caught }
            if error == nil { options.onDurable?(batch.lastSequence) }
            condition.lock()
            if let error {
                failure = "\(error)"
                condition.broadcast()
                break
            }
            noteWritten()
        }
        committerRunning = false
        condition.broadcast()
        condition.unlock()
    }

    private func groupCommitLimits() -> (Int, Int)? {
        switch options.fsync {
        case let .batch(delay, records): (delay, max(1, min(records, LogLimits.batchRecordsMax)))
        case .none: (LogLimits.groupCommitDelayMillisecondsDefault, LogLimits.groupCommitRecordsDefault)
        case .always: nil
        }
    }
}

/// Appends accepted and placed, not yet written.
struct PendingBatch {
    /// The appends' drafts, as they came (not copied one by one).
    var drafts: [[EventDraft]] = []
    /// Each draft's stream version, in order.
    var streamVersions: [UInt64] = []
    var count = 0
    /// An upper bound of the batch's encoded size.
    var bytes = 0
    var firstSequence: UInt64 = 0
    /// Stream versions as of the batch's last record, when a checkpoint is to be written with it.
    var streamsAfter: [StreamKey: UInt64]?

    var lastSequence: UInt64 { firstSequence + UInt64(count) - 1 }
    var lastTimestampMs: Int64 { drafts.last?.last?.timestampMs ?? 0 }

    /// The batch, leaving an empty one in its place.
    mutating func take() -> PendingBatch {
        let batch = self
        self = PendingBatch()
        return batch
    }
}
