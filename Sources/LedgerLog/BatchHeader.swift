/// The fixed-size header written before every batch, inside an LZ4 skippable frame.
///
/// Layout (little-endian), 80 bytes: "CLBH", format version u16, flags u16, first sequence u64,
/// record count u32, uncompressed length u32, compressed length u32, CRC-32C of the compressed
/// frame u32, chain value [32], last timestamp ms i64, reserved u32, CRC-32C of bytes 0..<76 u32.
package struct BatchHeader: Sendable, Equatable {
    public static let magic: [UInt8] = Array("CLBH".utf8)
    public static let frameMagic: UInt32 = 0x184D_2A51
    public static let contentBytes = 80
    /// Skippable frame magic and size, then the content.
    public static let frameBytes = 8 + contentBytes

    public var formatVersion: UInt16
    public var firstSequence: UInt64
    public var recordCount: UInt32
    public var uncompressedBytes: UInt32
    public var compressedBytes: UInt32
    /// CRC-32C of the stored (compressed) LZ4 frame.
    public var compressedCRC: UInt32
    /// SHA-256 over the previous chain value and this batch's uncompressed record bytes.
    public var chain: ChainHash
    public var lastTimestampMs: Int64

    public var lastSequence: UInt64 { firstSequence + UInt64(recordCount) - 1 }
    /// Bytes the batch takes in its segment: this header's frame and the LZ4 frame.
    public var storedBytes: Int { Self.frameBytes + Int(compressedBytes) }

    public init(
        formatVersion: UInt16 = LogFormat.version, firstSequence: UInt64, recordCount: UInt32, uncompressedBytes: UInt32,
        compressedBytes: UInt32, compressedCRC: UInt32, chain: ChainHash, lastTimestampMs: Int64
    ) {
        self.formatVersion = formatVersion
        self.firstSequence = firstSequence
        self.recordCount = recordCount
        self.uncompressedBytes = uncompressedBytes
        self.compressedBytes = compressedBytes
        self.compressedCRC = compressedCRC
        self.chain = chain
        self.lastTimestampMs = lastTimestampMs
    }

    /// The header's skippable frame, ready to write.
    public func encodedFrame() -> [UInt8] {
        var out = SkippableFrame.begin(frameMagic: Self.frameMagic, contentBytes: Self.contentBytes, magic: Self.magic)
        out.appendLittleEndian(formatVersion)
        out.appendLittleEndian(UInt16(0))
        out.appendLittleEndian(firstSequence)
        out.appendLittleEndian(recordCount)
        out.appendLittleEndian(uncompressedBytes)
        out.appendLittleEndian(compressedBytes)
        out.appendLittleEndian(compressedCRC)
        out.append(contentsOf: chain.bytes)
        out.appendLittleEndian(UInt64(bitPattern: lastTimestampMs))
        out.appendLittleEndian(UInt32(0))
        return SkippableFrame.end(out, frameBytes: Self.frameBytes)
    }

    /// Why a header frame could not be decoded.
    public enum DecodeFailure: Error, Equatable {
        case notABatchHeader
        case checksumMismatch
        case unsupportedFormat(UInt16)
        case implausible(String)
    }

    /// Decodes a header frame of exactly `frameBytes` bytes.
    public static func decode(_ frame: UnsafeRawBufferPointer) -> Result<BatchHeader, DecodeFailure> {
        if let failure = SkippableFrame.check(frame, frameMagic: frameMagic, contentBytes: contentBytes, magic: magic) {
            return .failure(failure)
        }
        let version = frame.loadLittleEndian(UInt16.self, at: 12)
        guard version == LogFormat.version else { return .failure(.unsupportedFormat(version)) }
        let header = BatchHeader(
            formatVersion: version,
            firstSequence: frame.loadLittleEndian(UInt64.self, at: 16),
            recordCount: frame.loadLittleEndian(UInt32.self, at: 24),
            uncompressedBytes: frame.loadLittleEndian(UInt32.self, at: 28),
            compressedBytes: frame.loadLittleEndian(UInt32.self, at: 32),
            compressedCRC: frame.loadLittleEndian(UInt32.self, at: 36),
            chain: ChainHash(bytes: Array(frame[40..<72])),
            lastTimestampMs: Int64(bitPattern: frame.loadLittleEndian(UInt64.self, at: 72)))
        guard header.recordCount >= 1, header.firstSequence >= 1,
              Int(header.uncompressedBytes) <= LogLimits.batchBytesMax,
              Int(header.compressedBytes) <= LZ4Codec.compressBound(LogLimits.batchBytesMax)
        else { return .failure(.implausible("record count, sequence or lengths out of range")) }
        return .success(header)
    }
}

/// The first frame of every segment: where it starts in the log and the chain value before it.
///
/// Layout (little-endian), 64 bytes: "CLSG", format version u16, reserved u16, first sequence u64,
/// chain value before the segment [32], reserved [12], CRC-32C of bytes 0..<60 u32.
package struct SegmentHeader: Sendable, Equatable {
    public static let magic: [UInt8] = Array("CLSG".utf8)
    public static let frameMagic: UInt32 = 0x184D_2A50
    public static let contentBytes = 64
    public static let frameBytes = 8 + contentBytes

    public var formatVersion: UInt16
    public var firstSequence: UInt64
    public var previousChain: ChainHash

    public init(formatVersion: UInt16 = LogFormat.version, firstSequence: UInt64, previousChain: ChainHash) {
        self.formatVersion = formatVersion
        self.firstSequence = firstSequence
        self.previousChain = previousChain
    }

    public func encodedFrame() -> [UInt8] {
        var out = SkippableFrame.begin(frameMagic: Self.frameMagic, contentBytes: Self.contentBytes, magic: Self.magic)
        out.appendLittleEndian(formatVersion)
        out.appendLittleEndian(UInt16(0))
        out.appendLittleEndian(firstSequence)
        out.append(contentsOf: previousChain.bytes)
        out.append(contentsOf: [UInt8](repeating: 0, count: 12))
        return SkippableFrame.end(out, frameBytes: Self.frameBytes)
    }

    public static func decode(_ frame: UnsafeRawBufferPointer) -> Result<SegmentHeader, BatchHeader.DecodeFailure> {
        if let failure = SkippableFrame.check(frame, frameMagic: frameMagic, contentBytes: contentBytes, magic: magic) {
            return .failure(failure)
        }
        let version = frame.loadLittleEndian(UInt16.self, at: 12)
        guard version == LogFormat.version else { return .failure(.unsupportedFormat(version)) }
        return .success(SegmentHeader(
            formatVersion: version,
            firstSequence: frame.loadLittleEndian(UInt64.self, at: 16),
            previousChain: ChainHash(bytes: Array(frame[24..<56]))))
    }
}

/// The shape both headers share: an LZ4 skippable frame (magic, content size) whose content starts
/// with a four-letter magic and ends with a CRC-32C of everything before it.
enum SkippableFrame {
    static func begin(frameMagic: UInt32, contentBytes: Int, magic: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(8 + contentBytes)
        out.appendLittleEndian(frameMagic)
        out.appendLittleEndian(UInt32(contentBytes))
        out.append(contentsOf: magic)
        return out
    }

    /// Appends the content's CRC-32C (the frame must then be exactly `frameBytes` long).
    static func end(_ frame: [UInt8], frameBytes: Int) -> [UInt8] {
        var out = frame
        let crc = out.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[8...])) }
        out.appendLittleEndian(crc)
        precondition(out.count == frameBytes, "a header frame has a fixed size")
        return out
    }

    /// Why a frame is not a sound header of this kind, or nil when it is.
    static func check(_ frame: UnsafeRawBufferPointer, frameMagic: UInt32, contentBytes: Int, magic: [UInt8]) -> BatchHeader.DecodeFailure? {
        guard frame.count == 8 + contentBytes,
              frame.loadLittleEndian(UInt32.self, at: 0) == frameMagic,
              frame.loadLittleEndian(UInt32.self, at: 4) == UInt32(contentBytes),
              frame[8..<12].elementsEqual(magic)
        else { return .notABatchHeader }
        let crcOffset = frame.count - 4
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: frame[8..<crcOffset])) == frame.loadLittleEndian(UInt32.self, at: crcOffset) else {
            return .checksumMismatch
        }
        return nil
    }
}
