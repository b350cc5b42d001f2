#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes batches at the end of the active segment, rotating to a new segment at the size limit.
/// Used by one thread at a time (the committer, or an appender under the `always` policy).
final class SegmentWriter {
    let directory: String
    private let syncs: Bool
    private let segmentBytesMax: Int
    private(set) var segment: Segment
    private var file: PosixFile
    private var size: Int
    private var indexFile: PosixFile
    private var indexSize: Int
    private var batchesInSegment: Int
    private(set) var chain: ChainHash
    private(set) var lastSequence: UInt64
    /// Set when a new segment was begun: the writer then saves a checkpoint soon after.
    private(set) var rotated = false
    /// Space for one stored batch (header frame and LZ4 frame), grown as needed, never cleared.
    private var frameBuffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    /// Continues the segment described by `layout`, whose batches are all sound.
    init(layout: SegmentLayout, options: FileLogOptions) throws(LogError) {
        directory = layout.segment.directory
        syncs = options.fsync != .none
        segmentBytesMax = options.segmentBytesMax
        segment = layout.segment
        file = try PosixFile(path: layout.segment.path, flags: O_WRONLY)
        size = layout.end
        try layout.writeIndex()
        indexFile = try PosixFile(path: layout.segment.indexPath, flags: O_WRONLY | O_CREAT)
        indexSize = layout.batches.count * IndexEntry.bytes
        batchesInSegment = layout.batches.count
        chain = layout.chain
        lastSequence = layout.lastSequence
    }

    /// Creates a segment file holding only its header, durably.
    static func createSegment(directory: String, firstSequence: UInt64, previousChain: ChainHash, sync: Bool) throws(LogError) -> Segment {
        let segment = Segment(directory: directory, firstSequence: firstSequence)
        let file = try PosixFile(path: segment.path, flags: O_WRONLY | O_CREAT | O_EXCL)
        try file.write(SegmentHeader(firstSequence: firstSequence, previousChain: previousChain).encodedFrame(), at: 0)
        if sync {
            try file.sync()
            try FileSystem.syncDirectory(directory)
        }
        return segment
    }

    /// Compresses, checksums, chains and writes one batch of record lines (each ending in a newline),
    /// then fsyncs when the policy asks. Throws only I/O errors; after one, the writer must stop.
    func write(_ raw: [UInt8], recordCount: Int, firstSequence: UInt64, lastTimestampMs: Int64) throws(LogError) {
        precondition(firstSequence == lastSequence + 1, "batches are written in sequence order")
        precondition(recordCount >= 1 && raw.last == 0x0A, "a batch holds whole record lines")
        let needed = BatchHeader.frameBytes + LZ4Codec.compressBound(raw.count)
        if frameBuffer.count < needed {
            frameBuffer.deallocate()
            frameBuffer = .allocate(byteCount: max(needed, 2 * frameBuffer.count), alignment: 16)
        }
        let compressed = UnsafeMutableRawBufferPointer(rebasing: frameBuffer[BatchHeader.frameBytes...])
        let compressedCount = raw.withUnsafeBytes { LZ4Codec.compress($0, into: compressed) }
        let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: compressed[..<compressedCount]))
        let nextChain = chain.next(raw)
        let header = BatchHeader(
            firstSequence: firstSequence, recordCount: UInt32(recordCount), uncompressedBytes: UInt32(raw.count),
            compressedBytes: UInt32(compressedCount), compressedCRC: crc, chain: nextChain, lastTimestampMs: lastTimestampMs)
        header.encodedFrame().withUnsafeBytes { frameBuffer.copyMemory(from: $0) }
        let stored = UnsafeRawBufferPointer(rebasing: frameBuffer[..<(BatchHeader.frameBytes + compressedCount)])

        if batchesInSegment > 0 && size + stored.count > segmentBytesMax {
            try rotate(nextFirstSequence: firstSequence)
        }
        let offset = size
        try file.write(stored, at: offset)
        if syncs { try file.sync() }
        size += stored.count
        batchesInSegment += 1
        chain = nextChain
        lastSequence = header.lastSequence
        // The index is a cache, rebuilt from the segment when it disagrees: no fsync.
        let entry = IndexEntry(firstSequence: firstSequence, recordCount: UInt32(recordCount), offset: UInt64(offset))
        try indexFile.write(entry.encoded(), at: indexSize)
        indexSize += IndexEntry.bytes
    }

    /// Saves the stream versions as of the last written batch (the caller vouches for them), so
    /// that the next open need not scan the whole log.
    func writeCheckpoint(streams: [String: UInt64]) throws(LogError) {
        try WriterCheckpoint(sequence: lastSequence, chain: chain, streams: streams).write(directory: directory)
        rotated = false
    }

    func close() {
        file.close()
        indexFile.close()
        frameBuffer.deallocate()
        frameBuffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    }

    deinit { frameBuffer.deallocate() }

    private func rotate(nextFirstSequence: UInt64) throws(LogError) {
        rotated = true
        let next = try Self.createSegment(directory: directory, firstSequence: nextFirstSequence, previousChain: chain, sync: syncs)
        file.close()
        indexFile.close()
        segment = next
        file = try PosixFile(path: next.path, flags: O_WRONLY)
        size = SegmentHeader.frameBytes
        indexFile = try PosixFile(path: next.indexPath, flags: O_WRONLY | O_CREAT | O_TRUNC)
        indexSize = 0
        batchesInSegment = 0
    }
}

/// The writer's saved stream versions as of a batch boundary: `writer-checkpoint.json`.
struct WriterCheckpoint: Equatable {
    static let fileName = "writer-checkpoint.json"
    var sequence: UInt64
    var chain: ChainHash
    var streams: [String: UInt64]

    func write(directory: String) throws(LogError) {
        var writer = CanonicalJSONWriter(capacity: 64 + streams.count * 32)
        writer.beginObject()
        writer.key("chain"); writer.string(chain.hex)
        writer.key("seq"); writer.uint(sequence)
        writer.key("streams")
        writer.beginObject()
        for stream in streams.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            writer.key(stream)
            writer.uint(streams[stream]!)
        }
        writer.endObject()
        writer.endObject()
        try FileSystem.writeAtomically(writer.bytes, to: directory + "/" + Self.fileName, directory: directory)
    }

    /// The checkpoint in `directory`, or nil when there is none or it does not parse.
    static func read(directory: String) -> WriterCheckpoint? {
        guard let bytes = try? FileSystem.readWhole(directory + "/" + fileName),
              let value = try? JSONValue.parse(bytes),
              case .string(let chainHex)? = value["chain"], let chain = ChainHash(hex: chainHex),
              case .integer(let sequenceText)? = value["seq"], let sequence = UInt64(sequenceText),
              case .object(let members)? = value["streams"]
        else { return nil }
        var streams: [String: UInt64] = [:]
        for member in members {
            guard case .integer(let text) = member.value, let version = UInt64(text) else { return nil }
            streams[member.key] = version
        }
        return WriterCheckpoint(sequence: sequence, chain: chain, streams: streams)
    }
}
