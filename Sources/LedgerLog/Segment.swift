#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One segment file of the log: `seg-<first sequence, 20 digits>.lz4`, with its sparse index
/// `seg-<first sequence>.idx` beside it.
package struct Segment: Sendable, Equatable {
    public static let prefix = "seg-"
    public static let suffix = ".lz4"
    public static let indexSuffix = ".idx"

    public let directory: String
    public let firstSequence: UInt64

    public init(directory: String, firstSequence: UInt64) {
        self.directory = directory
        self.firstSequence = firstSequence
    }

    public var name: String {
        let digits = String(firstSequence)
        return Self.prefix + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + Self.suffix
    }

    public var path: String { directory + "/" + name }
    public var indexPath: String { directory + "/" + name.dropLast(Self.suffix.count) + Self.indexSuffix }

    /// The segments of a log directory, in log order.
    public static func list(in directory: String) throws(LogError) -> [Segment] {
        guard FileSystem.exists(directory) else { return [] }
        return try FileSystem.list(directory).compactMap { name -> Segment? in
            guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
            let digits = name.dropFirst(prefix.count).dropLast(suffix.count)
            guard digits.count == 20, let first = UInt64(digits) else { return nil }
            return Segment(directory: directory, firstSequence: first)
        }.sorted { $0.firstSequence < $1.firstSequence }
    }
}

/// Where one batch sits: the sparse index holds one entry per batch.
package struct IndexEntry: Sendable, Equatable {
    public var firstSequence: UInt64
    public var recordCount: UInt32
    /// Byte offset of the batch's header frame within the segment.
    public var offset: UInt64

    static let bytes = 24

    func encoded() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(Self.bytes)
        out.appendLittleEndian(firstSequence)
        out.appendLittleEndian(offset)
        out.appendLittleEndian(recordCount)
        let crc = out.withUnsafeBytes { CRC32C.checksum($0) }
        out.appendLittleEndian(crc)
        return out
    }

    /// Decodes every whole, intact entry of an index file; stops at the first bad one.
    static func decodeAll(_ bytes: [UInt8]) -> [IndexEntry] {
        var entries: [IndexEntry] = []
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset + Self.bytes <= raw.count {
                let entryBytes = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + Self.bytes)])
                guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: entryBytes[0..<20])) == entryBytes.loadLittleEndian(UInt32.self, at: 20) else { break }
                entries.append(IndexEntry(
                    firstSequence: entryBytes.loadLittleEndian(UInt64.self, at: 0),
                    recordCount: entryBytes.loadLittleEndian(UInt32.self, at: 16),
                    offset: entryBytes.loadLittleEndian(UInt64.self, at: 8)))
                offset += Self.bytes
            }
        }
        return entries
    }
}
