import Foundation

/// A log held in memory, behind the same protocol as the file log and run through the same
/// tests: for test suites and simulations that need no disk. Appends are immediately "durable".
public final class MemoryLog: LogStore, @unchecked Sendable {
    private let lock = NSLock()
    private var state = WriterState()
    private var records: [LogRecord] = []
    private var chain = ChainHash.genesis
    /// The chain value after each append, by its last sequence.
    private var chains: [UInt64: ChainHash] = [:]
    private var closed = false

    public init() {}

    @discardableResult
    public func append(_ drafts: [EventDraft], expectations: [String: ExpectedVersion]) throws -> AppendResult {
        try DraftValidator.validate(drafts)
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { throw LogError.closed }
        guard !drafts.isEmpty else {
            return AppendResult(firstSequence: state.headSequence + 1, lastSequence: state.headSequence, written: false)
        }
        let keys = drafts.map { IdKey($0.id) }
        if let original = try state.check(drafts, keys: keys, expectations: expectations) {
            return original
        }
        var batch = CanonicalJSONWriter()
        let first = state.headSequence + 1
        state.accept(drafts, keys: keys) { index, sequence, streamVersion in
            let record = LogRecord(sequence: sequence, streamVersion: streamVersion, draft: drafts[index])
            RecordCodec.encode(record, into: &batch)
            batch.newline()
            records.append(record)
        }
        // The same chain a file log would hold had each append been one batch.
        chain = chain.next(batch.bytes)
        chains[state.headSequence] = chain
        return AppendResult(firstSequence: first, lastSequence: state.headSequence, written: true)
    }

    public func streamVersion(_ stream: String) throws -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return state.version(of: stream)
    }

    public var head: LogHead {
        lock.lock()
        defer { lock.unlock() }
        return LogHead(sequence: state.headSequence, chain: chain)
    }

    public func chain(endingAt sequence: UInt64) throws -> ChainHash? {
        lock.withLock { chains[sequence] }
    }

    public func forEach(from sequence: UInt64, filter: RecordFilter, _ body: (LogRecord) throws -> Bool) throws {
        lock.lock()
        let snapshot = records
        lock.unlock()
        guard sequence <= UInt64(snapshot.count) else { return }
        for record in snapshot[Int(max(sequence, 1) - 1)...] where filter.matches(record) {
            if try !body(record) { return }
        }
    }

    public func close() throws {
        lock.lock()
        closed = true
        lock.unlock()
    }
}
