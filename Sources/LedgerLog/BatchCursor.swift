/// Walks the batches of a reader's segments in log order, from the batch holding a sequence on.
struct BatchCursor {
    /// One batch to load, or the damage that ends the readable log there.
    enum Step {
        case batch(BatchLocation)
        case damaged(LogError)
    }

    private let layouts: [SegmentLayout]
    private var segmentIndex: Int
    private var batchIndex: Int

    init(layouts: [SegmentLayout], from sequence: UInt64) {
        self.layouts = layouts
        if let index = layouts.lastIndex(where: { $0.firstSequence <= max(sequence, 1) }) {
            segmentIndex = index
            batchIndex = layouts[index].batchIndex(containing: sequence)
        } else {
            segmentIndex = layouts.count
            batchIndex = 0
        }
    }

    /// How many batches are left (a bound: damage may end the walk earlier).
    var remainingBatches: Int {
        guard segmentIndex < layouts.count else { return 0 }
        return layouts[segmentIndex...].reduce(0) { $0 + $1.batches.count } - batchIndex
    }

    mutating func next() -> Step? {
        while segmentIndex < layouts.count {
            let layout = layouts[segmentIndex]
            if batchIndex < layout.batches.count {
                batchIndex += 1
                return .batch(BatchLocation(scanner: layout.scanner, entry: layout.batches[batchIndex - 1], fileSize: layout.end))
            }
            segmentIndex += 1
            batchIndex = 0
            if segmentIndex < layouts.count, case .damaged(let reason) = layout.stop {
                segmentIndex = layouts.count
                return .damaged(.corrupt(file: layout.segment.path, offset: layout.end, sequence: layout.lastSequence + 1, reason: reason))
            }
        }
        return nil
    }
}

/// Where one batch lies: enough to read, check and decompress it on any thread.
struct BatchLocation: @unchecked Sendable {
    let scanner: SegmentScanner
    let entry: IndexEntry
    let fileSize: Int

    func load() throws(LogError) -> DecodedBatch {
        guard case .batch(let header) = try scanner.frame(at: Int(entry.offset), fileSize: fileSize) else {
            throw LogError.corrupt(file: scanner.segment.path, offset: Int(entry.offset), sequence: entry.firstSequence,
                                   reason: "batch header changed since it was first read")
        }
        return try scanner.batch(header, at: Int(entry.offset))
    }
}
