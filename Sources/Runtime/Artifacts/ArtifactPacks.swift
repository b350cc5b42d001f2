import Foundation
import LedgerLog

/// Artifacts that can be derived again from the log (context packets) appended to pack files,
/// `<directory>/packs/pack-<n>.lz4`, instead of a file each: one file per packet made file
/// creation most of a simulation's cost. Each entry is an LZ4 skippable frame holding the
/// artifact's SHA-256 and the length of the standard LZ4 frame of its bytes that follows, so `lz4 -dc` reads a whole
/// pack as the artifacts one after another. Packs are written without fsync: an entry cut short by
/// a crash is ignored when the packs are read (the artifact is built again from the log). A
/// process appends to a pack of its own, opened at its first put, a mebibyte at a time.
final class ArtifactPacks: @unchecked Sendable {
    struct Entry {
        var pack: String
        var offset: Int
        var length: Int
    }

    let directory: String
    /// A pack is closed and a new one begun past this size.
    static let packBytesMax = 256 << 20
    /// The skippable frame's magic (0x184D2A5A, little-endian); its content: the raw hash and the
    /// frame's length (UInt32, little-endian).
    static let magic: [UInt8] = [0x5A, 0x2A, 0x4D, 0x18]
    static let headerBytes = 8 + 36

    private let lock = NSLock()
    private var index: [String: Entry] = [:]
    /// How far each pack has been read into the index.
    private var scanned: [String: Int] = [:]
    private var writer: (path: String, descriptor: Int32, size: Int)?

    init(directory: String) {
        self.directory = directory + "/packs"
    }

    deinit {
        try? writeBuffer()
        if let writer { close(writer.descriptor) }
    }

    /// Whether this process packed `hash` (the packs on disk are not looked at).
    func contains(_ hash: String) -> Bool { lock.withLock { index[hash] != nil } }

    /// Appends an artifact's frame to this process's pack (buffered: written out a mebibyte at a
    /// time, and by `flush`); a hash already packed is kept once.
    func append(hash: String, frame: [UInt8]) throws {
        try lock.withLock {
            if index[hash] != nil { return }
            if writer == nil || writer!.size >= Self.packBytesMax { try openPack() }
            let start = buffer.count
            buffer += Self.magic
            buffer += [36, 0, 0, 0]
            buffer += Self.rawHash(hash)
            buffer += withUnsafeBytes(of: UInt32(frame.count).littleEndian, Array.init)
            buffer += frame
            index[hash] = Entry(pack: writer!.path, offset: writer!.size + Self.headerBytes, length: frame.count)
            writer!.size += buffer.count - start
            scanned[writer!.path] = writer!.size
            if buffer.count >= 1 << 20 { try writeBuffer() }
        }
    }

    /// Writes the buffered entries to the pack.
    func flush() throws { try lock.withLock { try writeBuffer() } }

    private var buffer: [UInt8] = []

    private func writeBuffer() throws {
        guard let writer, !buffer.isEmpty else { return }
        var written = 0
        while written < buffer.count {
            let result = buffer[written...].withUnsafeBytes { write(writer.descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                throw ArtifactError.io(location: writer.path, reason: String(cString: strerror(errno)))
            }
            written += result
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// The frame of a packed artifact, or nil when no pack holds it.
    func frame(_ hash: String) throws -> (frame: [UInt8], location: String)? {
        try lock.withLock {
            try writeBuffer()
            if index[hash] == nil { try scan() }
            guard let entry = index[hash] else { return nil }
            guard let handle = FileHandle(forReadingAtPath: entry.pack) else { return nil }
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(entry.offset))
            let data = try handle.read(upToCount: entry.length) ?? Data()
            return (Array(data), "\(entry.pack) at offset \(entry.offset)")
        }
    }

    /// Reads what the packs gained since the last look into the index; stops at an entry cut short.
    private func scan() throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix("pack-") }.sorted()
        for name in names {
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let bytes = Array(data)
            var offset = scanned[path] ?? 0
            while offset + Self.headerBytes <= bytes.count, Array(bytes[offset..<(offset + 4)]) == Self.magic {
                let hash = Hex.encode(bytes[(offset + 8)..<(offset + 40)])
                let start = offset + Self.headerBytes
                let size = bytes[(offset + 40)..<(offset + 44)].reversed().reduce(0) { $0 << 8 | Int($1) }
                guard start + size <= bytes.count else { break }
                index[hash] = index[hash] ?? Entry(pack: path, offset: start, length: size)
                offset = start + size
            }
            scanned[path] = offset
        }
    }

    private func openPack() throws {
        try writeBuffer()
        if let writer { close(writer.descriptor) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix("pack-") }
        var number = (names.compactMap { Int($0.dropFirst(5).prefix { $0.isNumber }) }.max() ?? 0) + 1
        while true {
            let path = String(format: "%@/pack-%06d.lz4", directory, number)
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND, 0o644)
            if descriptor >= 0 {
                writer = (path, descriptor, 0)
                return
            }
            guard errno == EEXIST else { throw ArtifactError.io(location: path, reason: String(cString: strerror(errno))) }
            number += 1
        }
    }

    static func rawHash(_ hash: String) -> [UInt8] {
        Hex.decode(hash) ?? []
    }
}
