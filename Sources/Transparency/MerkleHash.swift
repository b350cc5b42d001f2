import Crypto
import LedgerLog

/// A node of the log's Merkle tree (RFC 9162 §2.1.1): 32 bytes of SHA-256.
public struct MerkleHash: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "a Merkle tree hash is 32 bytes")
        self.bytes = bytes
    }

    init(_ digest: SHA256.Digest) {
        bytes = Array(digest)
    }

    /// Parses 64 lower-case hex digits.
    public init?(hex: String) {
        guard let parsed = ChainHash(hex: hex) else { return nil }
        bytes = parsed.bytes
    }

    public var hex: String { ChainHash(bytes: bytes).hex }
    public var description: String { hex }

    /// The root of the empty tree: SHA-256 of nothing.
    public static let empty = MerkleHash(SHA256.hash(data: [UInt8]()))

    /// A leaf: SHA-256(0x00 || the record's canonical bytes, without the newline).
    public static func leaf(_ record: UnsafeRawBufferPointer) -> MerkleHash {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(bufferPointer: record)
        return MerkleHash(hasher.finalize())
    }

    public static func leaf(_ record: [UInt8]) -> MerkleHash {
        record.withUnsafeBytes { leaf($0) }
    }

    /// An interior node: SHA-256(0x01 || left || right).
    public static func node(_ left: MerkleHash, _ right: MerkleHash) -> MerkleHash {
        var input = [UInt8](repeating: 0x01, count: 65)
        input.replaceSubrange(1..<33, with: left.bytes)
        input.replaceSubrange(33..<65, with: right.bytes)
        return MerkleHash(SHA256.hash(data: input))
    }
}
