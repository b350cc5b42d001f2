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
    public func forEachBatch(from sequence: UInt64 = 1, _ body: (DecodedBatch) throws -> Bool) throws {
        guard var segmentIndex = layouts.lastIndex(where: { $0.firstSequence <= max(sequence, 1) }) else { return }
        var batchIndex = layouts[segmentIndex].batchIndex(containing: sequence)
        while segmentIndex < layouts.count {
            let layout = layouts[segmentIndex]
            while batchIndex < layout.batches.count {
                let entry = layout.batches[batchIndex]
                guard case .batch(let header) = try layout.scanner.frame(at: Int(entry.offset), fileSize: layout.end) else {
                    throw LogError.corrupt(file: layout.segment.path, offset: Int(entry.offset), sequence: entry.firstSequence,
                                           reason: "batch header changed since it was first read")
                }
                let batch = try layout.scanner.batch(header, at: Int(entry.offset))
                if try !body(batch) { return }
                batchIndex += 1
            }
            if segmentIndex < layouts.count - 1, case .damaged(let reason) = layout.stop {
                throw LogError.corrupt(file: layout.segment.path, offset: layout.end, sequence: layout.lastSequence + 1, reason: reason)
            }
            segmentIndex += 1
            batchIndex = 0
        }
    }

    /// Calls `body` with each record from `sequence` on that matches `filter`, until it returns false.
    public func forEach(from sequence: UInt64 = 1, filter: RecordFilter = .all, _ body: (LogRecord) throws -> Bool) throws {
        try forEachBatch(from: sequence) { batch in
            let skip = sequence > batch.header.firstSequence ? Int(sequence - batch.header.firstSequence) : 0
            if filter.isAll { return try batch.forEachRecord(from: skip, body) }
            return try batch.forEachRecord(from: skip) { record in
                try !filter.matches(record) || body(record)
            }
        }
    }
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
