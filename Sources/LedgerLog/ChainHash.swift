import Crypto

/// A SHA-256 hash-chain value: each batch's value is SHA-256(previous value || the batch's
/// uncompressed record bytes), starting from 32 zero bytes. Recompression never breaks it.
public struct ChainHash: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "a chain value is 32 bytes")
        self.bytes = bytes
    }

    /// The value before the first batch of a log.
    public static let genesis = ChainHash(bytes: [UInt8](repeating: 0, count: 32))

    /// The value after a batch whose uncompressed record bytes are `batch`.
    public func next(_ batch: UnsafeRawBufferPointer) -> ChainHash {
        var hasher = SHA256()
        hasher.update(data: bytes)
        hasher.update(bufferPointer: batch)
        return ChainHash(bytes: Array(hasher.finalize()))
    }

    public func next(_ batch: [UInt8]) -> ChainHash {
        batch.withUnsafeBytes { next($0) }
    }

    /// Lower-case hex, 64 characters.
    public var hex: String { Hex.encode(bytes) }

    /// Parses 64 hex characters.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex), bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    public var description: String { hex }
}
