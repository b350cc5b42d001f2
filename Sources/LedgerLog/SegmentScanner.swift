#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the frames of one segment file: its header, then batch after batch.
final class SegmentScanner {
    let segment: Segment
    let file: PosixFile
    let header: SegmentHeader

    /// What lies at an offset of the segment.
    enum Frame {
        case batch(BatchHeader)
        /// The end of the file, exactly at a frame boundary.
        case end
        /// A frame that the file ends in the middle of: a torn write, or one still being written.
        case incomplete
        /// Bytes that are not a valid batch header.
        case damaged(String)
        case unsupported(UInt16)
    }

    init(segment: Segment) throws(LogError) {
        self.segment = segment
        file = try PosixFile(path: segment.path, flags: O_RDONLY)
        let bytes = try file.read(at: 0, count: SegmentHeader.frameBytes)
        let decoded = bytes.withUnsafeBytes { SegmentHeader.decode($0) }
        switch decoded {
        case .success(let header):
            guard header.firstSequence == segment.firstSequence else {
                throw LogError.corrupt(file: segment.path, offset: 0, sequence: segment.firstSequence,
                                       reason: "segment header names first sequence \(header.firstSequence), the file name \(segment.firstSequence)")
            }
            self.header = header
        case .failure(.unsupportedFormat(let version)):
            throw LogError.unsupportedFormat(file: segment.path, offset: 0, version: version)
        case .failure(let failure):
            throw LogError.corrupt(file: segment.path, offset: 0, sequence: segment.firstSequence,
                                   reason: bytes.count < SegmentHeader.frameBytes ? "segment header is cut short" : "segment header is invalid (\(failure))")
        }
    }

    var size: Int { get throws(LogError) { try file.size } }

    /// The frame at `offset`, given that the file is `fileSize` bytes long.
    func frame(at offset: Int, fileSize: Int) throws(LogError) -> Frame {
        if offset == fileSize { return .end }
        guard offset + BatchHeader.frameBytes <= fileSize else { return .incomplete }
        let bytes = try file.read(at: offset, count: BatchHeader.frameBytes)
        guard bytes.count == BatchHeader.frameBytes else { return .incomplete }
        switch bytes.withUnsafeBytes({ BatchHeader.decode($0) }) {
        case .success(let header):
            return offset + header.storedBytes <= fileSize ? .batch(header) : .incomplete
        case .failure(.unsupportedFormat(let version)): return .unsupported(version)
        case .failure(.notABatchHeader): return .damaged("no batch header here")
        case .failure(.checksumMismatch): return .damaged("batch header CRC-32C mismatch")
        case .failure(.implausible(let reason)): return .damaged("batch header: \(reason)")
        }
    }

    /// Reads a batch's compressed frame and checks its CRC-32C.
    func compressed(_ header: BatchHeader, at offset: Int) throws(LogError) -> [UInt8] {
        let bytes = try file.read(at: offset + BatchHeader.frameBytes, count: Int(header.compressedBytes))
        guard bytes.count == Int(header.compressedBytes) else {
            throw LogError.corrupt(file: segment.path, offset: offset, sequence: header.firstSequence, reason: "batch is cut short")
        }
        guard CRC32C.checksum(bytes) == header.compressedCRC else {
            throw LogError.corrupt(file: segment.path, offset: offset, sequence: header.firstSequence,
                                   reason: "CRC-32C of the compressed batch does not match its header")
        }
        return bytes
    }

    /// Reads, checks and decompresses a batch.
    func batch(_ header: BatchHeader, at offset: Int) throws(LogError) -> DecodedBatch {
        let frame = try compressed(header, at: offset)
        guard let raw = frame.withUnsafeBytes({ LZ4Codec.decompress($0, expectedCount: Int(header.uncompressedBytes)) }) else {
            throw LogError.corrupt(file: segment.path, offset: offset, sequence: header.firstSequence,
                                   reason: "LZ4 frame does not decompress to the \(header.uncompressedBytes) bytes its header states")
        }
        return try DecodedBatch(header: header, bytes: raw, file: segment.path, offset: offset)
    }
}

/// A batch read and checked: its header, its uncompressed record lines and where each one is.
package struct DecodedBatch: Sendable {
    public let header: BatchHeader
    /// The canonical record lines, each ending in a newline: the bytes the hash chain covers.
    public let bytes: [UInt8]
    /// Range of each record within `bytes`, without its newline.
    public let recordRanges: [Range<Int>]
    public let file: String
    public let offset: Int

    init(header: BatchHeader, bytes: [UInt8], file: String, offset: Int) throws(LogError) {
        self.header = header
        self.bytes = bytes
        self.file = file
        self.offset = offset
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(Int(header.recordCount))
        bytes.withUnsafeBytes { raw in
            var start = 0
            let base = raw.baseAddress!
            while start < raw.count {
                guard let found = memchr(base + start, 0x0A, raw.count - start) else { break }
                let end = base.distance(to: UnsafeRawPointer(found))
                ranges.append(start..<end)
                start = end + 1
            }
        }
        guard ranges.count == Int(header.recordCount), bytes.last == 0x0A else {
            throw LogError.corrupt(file: file, offset: offset, sequence: header.firstSequence,
                                   reason: "batch holds \(ranges.count) record lines, its header states \(header.recordCount)")
        }
        recordRanges = ranges
    }

    /// How many of the batch's records come before `sequence`.
    func skip(before sequence: UInt64) -> Int {
        sequence > header.firstSequence ? Int(min(sequence - header.firstSequence, UInt64(recordRanges.count))) : 0
    }

    /// Decodes records from `index` on and calls `body` with each that matches `filter`, until it
    /// returns false. Returns false when `body` stopped early.
    func forEachRecord(from index: Int, filter: RecordFilter, _ body: (LogRecord) throws -> Bool) throws -> Bool {
        try forEachRecord(from: index, filter: filter, parsed: nil, body)
    }

    /// Parses the envelopes of the records from `index` on, making no strings: the part of
    /// decoding another thread can do ahead (nil for a line the full parser must read).
    func parseAll(from index: Int) -> [ParsedEnvelope?] {
        bytes.withUnsafeBytes { raw in
            recordRanges[min(index, recordRanges.count)...].map { RecordCodec.parse(raw, $0) }
        }
    }

    /// `forEachRecord` over envelopes parsed beforehand (`parseAll(from: index)`).
    func forEachRecord(from index: Int, parsed: [ParsedEnvelope?], filter: RecordFilter, _ body: (LogRecord) throws -> Bool) throws -> Bool {
        try forEachRecord(from: index, filter: filter, parsed: parsed, body)
    }

    /// Decodes records from `index` on and calls `body` with each, until it returns false.
    /// Returns false when `body` stopped early.
    public func forEachRecord(from index: Int = 0, _ body: (LogRecord) throws -> Bool) throws -> Bool {
        try forEachRecord(from: index, filter: .all, parsed: nil, body)
    }

    /// The one decoding loop: each record from `index` on, from its parsed envelope when there is
    /// one, checked to hold its expected sequence, then handed to `body` if it matches `filter`.
    private func forEachRecord(from index: Int, filter: RecordFilter, parsed: [ParsedEnvelope?]?,
                               _ body: (LogRecord) throws -> Bool) throws -> Bool {
        var failure: Error?
        var completed = true
        bytes.withUnsafeBytes { raw in
            var names = NameCache()
            var current = index
            while current < recordRanges.count {
                let expected = header.firstSequence + UInt64(current)
                do {
                    let record: LogRecord
                    if let envelope = parsed?[current - index] {
                        record = RecordCodec.record(envelope, raw, bytes, names: &names)
                    } else {
                        do {
                            record = try RecordCodec.decode(raw, recordRanges[current], bytes, names: &names)
                        } catch {
                            throw LogError.corrupt(file: file, offset: offset, sequence: expected, reason: "record is not a valid envelope: \(error)")
                        }
                    }
                    guard record.sequence == expected else {
                        throw LogError.corrupt(file: file, offset: offset, sequence: expected, reason: "record holds sequence \(record.sequence)")
                    }
                    if try (filter.isAll || filter.matches(record)) && !body(record) {
                        completed = false
                        return
                    }
                } catch {
                    failure = error
                    return
                }
                current += 1
            }
        }
        if let failure { throw failure }
        return completed
    }

    /// Every record of the batch, decoded.
    public func records() throws -> [LogRecord] {
        var out: [LogRecord] = []
        out.reserveCapacity(recordRanges.count)
        _ = try forEachRecord { record in
            out.append(record)
            return true
        }
        return out
    }
}
