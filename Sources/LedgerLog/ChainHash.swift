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
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses 64 hex characters.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
        }
        bytes = out
    }

    public var description: String { hex }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
