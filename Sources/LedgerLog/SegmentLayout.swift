#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The batches found in one segment: from its sparse index where that is sound, then by
/// walking batch headers to the end of the file.
struct SegmentLayout {
    let segment: Segment
    let scanner: SegmentScanner
    var batches: [IndexEntry] = []
    var lastHeader: BatchHeader?
    /// Offset just after the last batch found.
    var end: Int
    /// What was found at `end`.
    var stop: SegmentScanner.Frame = .end
    /// Whether the index file held every batch found (when not, a writer writes it anew).
    private(set) var indexSound = false

    var firstSequence: UInt64 { segment.firstSequence }
    /// Sequence of the last record found, or `firstSequence - 1` when the segment has no batch.
    var lastSequence: UInt64 { batches.last.map { $0.firstSequence + UInt64($0.recordCount) - 1 } ?? firstSequence - 1 }
    var chain: ChainHash { lastHeader?.chain ?? scanner.header.previousChain }

    /// Opens a segment and finds its batches, trusting its index file when it is consistent.
    init(segment: Segment, useIndex: Bool = true) throws(LogError) {
        self.segment = segment
        scanner = try SegmentScanner(segment: segment)
        end = SegmentHeader.frameBytes
        let fileSize = try scanner.size
        if useIndex, FileSystem.exists(segment.indexPath) {
            let entries = IndexEntry.decodeAll((try? FileSystem.readWhole(segment.indexPath)) ?? [])
            try adopt(entries, fileSize: fileSize)
        }
        let indexed = batches.count
        try scan(fileSize: fileSize)
        indexSound = indexed > 0 && batches.count == indexed
    }

    /// Walks batch headers from `end` to the end of the file (or the first bad frame).
    mutating func scan(fileSize: Int) throws(LogError) {
        while true {
            let frame = try scanner.frame(at: end, fileSize: fileSize)
            guard case .batch(let header) = frame else {
                stop = frame
                return
            }
            guard header.firstSequence == lastSequence + 1 else {
                stop = .damaged("batch starts at sequence \(header.firstSequence), expected \(lastSequence + 1)")
                return
            }
            batches.append(IndexEntry(firstSequence: header.firstSequence, recordCount: header.recordCount, offset: UInt64(end)))
            lastHeader = header
            end += header.storedBytes
        }
    }

    /// Picks up batches appended since the last scan.
    mutating func refresh() throws(LogError) {
        switch stop {
        case .end, .incomplete: try scan(fileSize: try scanner.size)
        default: break
        }
    }

    /// Takes index entries that are contiguous and whose last batch header checks out.
    private mutating func adopt(_ entries: [IndexEntry], fileSize: Int) throws(LogError) {
        guard let last = entries.last, entries.first?.offset == UInt64(SegmentHeader.frameBytes),
              entries.first?.firstSequence == segment.firstSequence else { return }
        for (previous, next) in zip(entries, entries.dropFirst()) {
            guard next.firstSequence == previous.firstSequence + UInt64(previous.recordCount), next.offset > previous.offset else { return }
        }
        guard case .batch(let header) = try scanner.frame(at: Int(last.offset), fileSize: fileSize),
              header.firstSequence == last.firstSequence, header.recordCount == last.recordCount else { return }
        batches = entries
        lastHeader = header
        end = Int(last.offset) + header.storedBytes
    }

    /// The index of the batch holding `sequence`, or the first batch after it.
    func batchIndex(containing sequence: UInt64) -> Int {
        var low = 0
        var high = batches.count
        while low < high {
            let middle = (low + high) / 2
            let entry = batches[middle]
            if entry.firstSequence + UInt64(entry.recordCount) - 1 < sequence { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Writes the index file anew from the batches found (it is a cache: no fsync).
    func writeIndex() throws(LogError) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(batches.count * IndexEntry.bytes)
        for entry in batches { bytes.append(contentsOf: entry.encoded()) }
        let file = try PosixFile(path: segment.indexPath, flags: O_WRONLY | O_CREAT | O_TRUNC)
        try file.write(bytes, at: 0)
    }
}
