import CCRC32C

/// CRC-32C (Castagnoli), the checksum every stored batch carries: the processor's CRC32
/// instruction where there is one, slicing-by-8 tables otherwise (same values).
package enum CRC32C {
    /// The CRC-32C of `bytes`, continuing from `previous` (0 for a fresh checksum).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, previous: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress else { return previous }
        return clash_crc32c(previous, base, bytes.count)
    }

    /// The CRC-32C of a byte array.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// The same checksum through the portable tables alone.
    static func portableChecksum(_ bytes: UnsafeRawBufferPointer, previous: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress else { return previous }
        return clash_crc32c_portable(previous, base, bytes.count)
    }
}
