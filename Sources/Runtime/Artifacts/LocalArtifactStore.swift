import Foundation
import LedgerLog

/// Artifacts on local disk: `<directory>/<first two hex digits>/<hash>.lz4`, each one standard LZ4
/// frame (`lz4 -dc` reads it). A put writes a temporary file, fsyncs it, renames it into place and
/// fsyncs the folder, so an artifact is whole and durable before the event naming it is appended.
/// What can be derived again from the log (a put without `durable`: context packets) goes to pack
/// files instead (`ArtifactPacks`). Every read decompresses and checks the SHA-256 against the name.
public final class LocalArtifactStore: ArtifactStore, @unchecked Sendable {
    public let directory: String

    /// The largest artifact (64 MiB): far above any graph, packet or model exchange.
    public static let artifactBytesMax = 64 << 20

    /// A store in `directory`, created on the first put (a store that is only read is never created).
    public init(directory: String) {
        self.directory = directory
        packs = ArtifactPacks(directory: directory)
    }

    public func path(_ hash: String) -> String {
        "\(directory)/\(hash.prefix(2))/\(hash).lz4"
    }

    private let packs: ArtifactPacks

    public func put(_ bytes: [UInt8], durable: Bool) throws -> String {
        precondition(bytes.count <= Self.artifactBytesMax, "an artifact is at most \(Self.artifactBytesMax) bytes")
        let hash = ContentHash.of(bytes)
        let target = path(hash)
        if !durable {
            try putDerivable(bytes, hash: hash)
            return hash
        }
        if FileManager.default.fileExists(atPath: target), (try? get(hash)) != nil { return hash }
        let folder = (target as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ArtifactError.io(location: folder, reason: "\(error)")
        }
        var frame: [UInt8] = []
        bytes.withUnsafeBytes { LZ4Codec.compress($0, appendingTo: &frame) }
        let temporary = target + ".tmp-\(getpid())"
        let file = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard file >= 0 else { throw ArtifactError.io(location: temporary, reason: String(cString: strerror(errno))) }
        var written = 0
        while written < frame.count {
            let result = frame[written...].withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(file)
                unlink(temporary)
                throw ArtifactError.io(location: temporary, reason: reason)
            }
            written += result
        }
        let synced = fsync(file) == 0
        close(file)
        guard synced, rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ArtifactError.io(location: target, reason: reason)
        }
        let folderHandle = open(folder, O_RDONLY)
        if folderHandle >= 0 { fsync(folderHandle); close(folderHandle) }
        return hash
    }

    /// Derivable again from the log: packed, never fsynced (a loose copy is enough too).
    public func putDerivable(_ bytes: [UInt8], hash: String) throws {
        guard !packs.contains(hash), !FileManager.default.fileExists(atPath: path(hash)) else { return }
        var frame: [UInt8] = []
        bytes.withUnsafeBytes { LZ4Codec.compress($0, appendingTo: &frame) }
        try packs.append(hash: hash, frame: frame)
    }

    public func flush() throws { try packs.flush() }

    public func get(_ hash: String) throws -> [UInt8] {
        try ContentHash.check(hash)
        var location = path(hash)
        let frame: [UInt8]
        if let data = FileManager.default.contents(atPath: location) {
            frame = Array(data)
        } else if let packed = try packs.frame(hash) {
            (frame, location) = packed
        } else {
            throw ArtifactError.missing(hash: hash, location: location)
        }
        guard let size = Self.contentSize(frame), size <= Self.artifactBytesMax else {
            throw ArtifactError.corrupt(hash: hash, location: location, reason: "not an LZ4 frame with its content size")
        }
        guard let bytes = frame.withUnsafeBytes({ LZ4Codec.decompress($0, expectedCount: size) }) else {
            throw ArtifactError.corrupt(hash: hash, location: location, reason: "the LZ4 frame does not decode")
        }
        guard ContentHash.of(bytes) == hash else {
            throw ArtifactError.corrupt(hash: hash, location: location, reason: "its content's SHA-256 is not its name")
        }
        return bytes
    }

    public func contains(_ hash: String) throws -> Bool {
        try ContentHash.check(hash)
        return try FileManager.default.fileExists(atPath: path(hash)) || packs.frame(hash) != nil
    }

    /// The content size an LZ4 frame header declares (magic, FLG with the content-size bit, BD, 8 bytes).
    static func contentSize(_ frame: [UInt8]) -> Int? {
        guard frame.count >= 15, frame[0] == 0x04, frame[1] == 0x22, frame[2] == 0x4D, frame[3] == 0x18, frame[4] & 0x08 != 0 else { return nil }
        var size: UInt64 = 0
        for index in (6..<14).reversed() { size = size << 8 | UInt64(frame[index]) }
        return size > UInt64(Int.max) ? nil : Int(size)
    }
}
