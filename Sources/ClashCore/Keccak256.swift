import Canonical
/// Keccak-256 as Ethereum uses it: the Keccak sponge (rate 1,088 bits, capacity 512) with the
/// original padding (a 0x01 byte, 0x80 at the end of the block), not SHA3-256's (0x06). Needed for
/// EIP-55 address checksums and EIP-191 message hashes. No library on this platform offers it, so it
/// is written out here from the Keccak reference (FIPS 202 §3 for the permutation) and tested
/// against published vectors.
public enum Keccak256 {
    /// The digest size, bytes.
    public static let digestBytes = 32
    /// The sponge's rate: bytes absorbed per permutation.
    static let rateBytes = 136

    /// The 32-byte digest of `bytes`.
    public static func hash<Bytes: Collection>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var state = [UInt64](repeating: 0, count: 25)
        var block = [UInt8](repeating: 0, count: rateBytes)
        var filled = 0
        for byte in bytes {
            block[filled] = byte
            filled += 1
            if filled == rateBytes {
                absorb(block, into: &state)
                filled = 0
            }
        }
        // Padding: 0x01 after the message, 0x80 in the block's last byte (the same byte when one is left).
        for index in filled..<rateBytes { block[index] = 0 }
        block[filled] ^= 0x01
        block[rateBytes - 1] ^= 0x80
        absorb(block, into: &state)
        var digest: [UInt8] = []
        digest.reserveCapacity(digestBytes)
        for lane in state[0..<(digestBytes / 8)] {
            for shift in stride(from: 0, to: 64, by: 8) { digest.append(UInt8(truncatingIfNeeded: lane >> UInt64(shift))) }
        }
        return digest
    }

    /// The digest as 64 lowercase hex digits.
    public static func hex<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Hex.encode(hash(bytes))
    }

    private static func absorb(_ block: [UInt8], into state: inout [UInt64]) {
        for lane in 0..<(rateBytes / 8) {
            var value: UInt64 = 0
            for byte in 0..<8 { value |= UInt64(block[lane * 8 + byte]) << UInt64(8 * byte) }
            state[lane] ^= value
        }
        permute(&state)
    }

    /// Keccak-f[1600]: 24 rounds of θ, ρ and π, χ, ι over 5 × 5 lanes (index x + 5y).
    static func permute(_ a: inout [UInt64]) {
        var c = [UInt64](repeating: 0, count: 5)
        var b = [UInt64](repeating: 0, count: 25)
        for round in 0..<24 {
            for x in 0..<5 { c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] }
            for x in 0..<5 {
                let d = c[(x + 4) % 5] ^ rotate(c[(x + 1) % 5], 1)
                for y in stride(from: 0, to: 25, by: 5) { a[y + x] ^= d }
            }
            for x in 0..<5 {
                for y in 0..<5 {
                    b[y + 5 * ((2 * x + 3 * y) % 5)] = rotate(a[x + 5 * y], rotations[x + 5 * y])
                }
            }
            for y in stride(from: 0, to: 25, by: 5) {
                for x in 0..<5 { a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]) }
            }
            a[0] ^= roundConstants[round]
        }
    }

    private static func rotate(_ value: UInt64, _ count: Int) -> UInt64 {
        count == 0 ? value : (value << UInt64(count)) | (value >> UInt64(64 - count))
    }

    /// ρ's rotation of lane x + 5y.
    private static let rotations: [Int] = [
        0, 1, 62, 28, 27,
        36, 44, 6, 55, 20,
        3, 10, 43, 25, 39,
        41, 45, 15, 21, 8,
        18, 2, 61, 56, 14,
    ]

    /// ι's constants, one per round.
    private static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
        0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]
}
