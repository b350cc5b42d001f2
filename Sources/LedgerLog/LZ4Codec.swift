import CLZ4

/// Standard LZ4 frames (the format of the `lz4` command-line tool) through liblz4.
///
/// Every batch is one frame, so `lz4 -dc` reads a segment with no software of ours.
package enum LZ4Codec {
    /// The largest frame `compress` can produce for `count` input bytes.
    public static func compressBound(_ count: Int) -> Int {
        var preferences = framePreferences(contentSize: count)
        return LZ4F_compressFrameBound(count, &preferences)
    }

    /// Compresses `source` into one LZ4 frame appended to `destination`.
    public static func compress(_ source: UnsafeRawBufferPointer, appendingTo destination: inout [UInt8]) {
        let frame = [UInt8](unsafeUninitializedCapacity: compressBound(source.count)) { out, initialized in
            initialized = compress(source, into: UnsafeMutableRawBufferPointer(out))
        }
        destination.append(contentsOf: frame)
    }

    /// Compresses `source` into one LZ4 frame at the start of `destination`, which must hold at
    /// least `compressBound(source.count)` bytes. Returns the frame's length.
    public static func compress(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) -> Int {
        var preferences = framePreferences(contentSize: source.count)
        precondition(destination.count >= LZ4F_compressFrameBound(source.count, &preferences), "room for the compressed frame")
        let written = LZ4F_compressFrame(destination.baseAddress, destination.count, source.baseAddress, source.count, &preferences)
        // liblz4 fails only when the bound is wrong: a bug, not an operating error.
        precondition(LZ4F_isError(written) == 0, "LZ4F_compressFrame failed: \(String(cString: LZ4F_getErrorName(written)))")
        return written
    }

    /// Decompresses one whole LZ4 frame whose content is exactly `expectedCount` bytes.
    /// Returns nil when the frame is damaged, truncated, or of another length.
    public static func decompress(_ frame: UnsafeRawBufferPointer, expectedCount: Int) -> [UInt8]? {
        var context: OpaquePointer?
        guard LZ4F_isError(LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))) == 0, let context else {
            return nil
        }
        defer { LZ4F_freeDecompressionContext(context) }
        var ok = false
        // liblz4 decodes a block straight into the destination only when a whole block (4 MiB at
        // most) still fits there; otherwise it decodes into its own buffer and copies. For a large
        // batch, room for one more block past the content keeps every block on the direct path (the
        // room is never written, so it costs address space, not memory); a small one is cheap to copy.
        let room = expectedCount >= blockBytesMax / 4 ? blockBytesMax : 0
        let output = [UInt8](unsafeUninitializedCapacity: expectedCount + room) { out, initialized in
            var produced = 0
            var consumed = 0
            var remaining = 1
            while consumed < frame.count {
                var dstSize = out.count - produced
                var srcSize = frame.count - consumed
                remaining = LZ4F_decompress(
                    context, out.baseAddress.map { $0 + produced }, &dstSize,
                    frame.baseAddress! + consumed, &srcSize, nil)
                if LZ4F_isError(remaining) != 0 { break }
                produced += dstSize
                consumed += srcSize
                if remaining == 0 || (dstSize == 0 && srcSize == 0) { break }
            }
            ok = LZ4F_isError(remaining) == 0 && remaining == 0 && consumed == frame.count && produced == expectedCount
            // Only a fully decoded frame is handed out; anything else is dropped whole.
            initialized = ok ? expectedCount : 0
        }
        return ok ? output : nil
    }

    /// The largest block a frame may hold (the `lz4` tool's largest block size, which batches use).
    static let blockBytesMax = 4 << 20

    private static func framePreferences(contentSize: Int) -> LZ4F_preferences_t {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max4MB
        preferences.frameInfo.blockMode = LZ4F_blockLinked
        preferences.frameInfo.contentChecksumFlag = LZ4F_noContentChecksum
        preferences.frameInfo.contentSize = UInt64(contentSize)
        preferences.compressionLevel = 0
        preferences.favorDecSpeed = 1
        return preferences
    }
}
