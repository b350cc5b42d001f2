#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a log directory without taking the writer lock: any number of readers, also while a
/// writer appends. A reader sees every batch that was completely written when it last refreshed.
public final class LogReader: @unchecked Sendable {
    public let directory: String
    private var layouts: [SegmentLayout] = []

    /// Opens the log in `directory` (an empty or missing directory is an empty log).
    public init(directory: String) throws(LogError) {
        self.directory = directory
        try refresh()
    }

    /// The last sequence and chain value of the log as last seen.
    public var head: LogHead {
        guard let last = layouts.last else { return LogHead(sequence: 0, chain: .genesis) }
        return LogHead(sequence: last.lastSequence, chain: last.chain)
    }

    public var segmentCount: Int { layouts.count }
    public var batchCount: Int { layouts.reduce(0) { $0 + $1.batches.count } }
    var segmentLayouts: [SegmentLayout] { layouts }

    /// Bytes of the segment files and their indexes.
    public var bytesOnDisk: Int {
        layouts.reduce(0) { total, layout in
            let index = (try? PosixFile(path: layout.segment.indexPath, flags: O_RDONLY).size) ?? 0
            return total + ((try? layout.scanner.size) ?? 0) + index
        }
    }

    /// Looks again for batches and segments appended since the last look.
    public func refresh() throws(LogError) {
        let segments = try Segment.list(in: directory)
        if !layouts.isEmpty { try layouts[layouts.count - 1].refresh() }
        for segment in segments.dropFirst(layouts.count) {
            if let previous = layouts.last {
                guard case .end = previous.stop else {
                    // The segment before a newer one ends in bad bytes: damage, reported when read.
                    break
                }
            }
            layouts.append(try SegmentLayout(segment: segment))
        }
        try checkContinuity()
    }

    private func checkContinuity() throws(LogError) {
        var expected: UInt64 = 1
        for layout in layouts {
            guard layout.firstSequence == expected else {
                throw LogError.corrupt(file: layout.segment.path, offset: 0, sequence: expected,
                                       reason: "segment starts at sequence \(layout.firstSequence) but the log before it ends at \(expected - 1): a segment is missing")
            }
            expected = layout.lastSequence + 1
        }
    }

    /// Calls `body` with each checked, decompressed batch holding sequences from `sequence` on,
    /// until it returns false or the log ends.
    package func forEachBatch(from sequence: UInt64 = 1, _ body: (DecodedBatch) throws -> Bool) throws {
        var cursor = BatchCursor(layouts: layouts, from: sequence)
        while let step = cursor.next() {
            switch step {
            case .batch(let location): if try !body(location.load()) { return }
            case .damaged(let error): throw error
            }
        }
    }

    /// The chain value after the batch that ends at `sequence` (what the log's head was once that
    /// batch was written), or nil when no batch ends there.
    public func chain(endingAt sequence: UInt64) throws -> ChainHash? {
        var found: ChainHash?
        try forEachBatch(from: sequence) { batch in
            if batch.header.lastSequence == sequence { found = batch.header.chain }
            return false
        }
        return found
    }

    /// Calls `body` with each record from `sequence` on that matches `filter`, until it returns false.
    /// A long read works on two threads (`TwoThreadWork`): a helper reads, checks, decompresses and
    /// parses batches ahead; the records still arrive in order, on the calling thread, damage
    /// included: the records before a bad one, then its error.
    public func forEach(from sequence: UInt64 = 1, filter: RecordFilter = .all, _ body: (LogRecord) throws -> Bool) throws {
        var cursor = BatchCursor(layouts: layouts, from: sequence)
        guard cursor.remainingBatches >= Self.twoThreadBatchesMin else {
            try forEachBatch(from: sequence) { batch in
                try batch.forEachRecord(from: batch.skip(before: sequence), filter: filter, body)
            }
            return
        }
        // The helper reads, checks and decompresses a batch and parses its envelopes; the caller
        // makes the records (strings, payload slices) and hands them to `body`.
        let shared = TwoThreadWork<BatchCursor.Step, Result<(DecodedBatch, [ParsedEnvelope?]), LogError>>(
            next: { cursor.next() },
            work: { step in
                switch step {
                case .damaged(let error): return .failure(error)
                case .batch(let location):
                    do throws(LogError) {
                        let batch = try location.load()
                        return .success((batch, batch.parseAll(from: batch.skip(before: sequence))))
                    } catch {
                        return .failure(error)
                    }
                }
            },
            isFinal: { if case .failure = $0 { true } else { false } })
        try shared.run(
            own: { step in
                switch step {
                case .damaged(let error): throw error
                case .batch(let location):
                    let batch = try location.load()
                    return try batch.forEachRecord(from: batch.skip(before: sequence), filter: filter, body)
                }
            },
            consume: { loaded in
                let (batch, parsed) = try loaded.get()
                return try batch.forEachRecord(from: batch.skip(before: sequence), parsed: parsed, filter: filter, body)
            })
    }

    /// The stored bytes of each record, straight from the decompressed batches.
    public func forEachCanonical(from sequence: UInt64, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool) throws {
        try forEachBatch(from: sequence) { batch in
            try batch.bytes.withUnsafeBytes { raw in
                for index in batch.skip(before: sequence)..<batch.recordRanges.count {
                    let range = batch.recordRanges[index]
                    guard try body(batch.header.firstSequence + UInt64(index), UnsafeRawBufferPointer(rebasing: raw[range])) else { return false }
                }
                return true
            }
        }
    }

    /// Below this many batches a second thread costs more than it saves.
    static let twoThreadBatchesMin = 3
}

/// The end of the log: its last sequence and the chain value after its last batch.
public struct LogHead: Sendable, Equatable {
    public var sequence: UInt64
    public var chain: ChainHash

    public init(sequence: UInt64, chain: ChainHash) {
        self.sequence = sequence
        self.chain = chain
    }
}
