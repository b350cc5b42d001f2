/// The strings of short names (event types, stream names) met before while decoding a batch,
/// found again by their bytes: a batch names the same few types and streams over and over, and
/// handing out a string made once is cheaper than making it anew for every record.
struct NameCache {
    /// Names up to this many bytes are kept; longer ones are made every time.
    static let bytesMax = 32
    private static let slotCount = 64

    private struct Slot {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var count = -1
        var name = ""
    }

    private var slots = [Slot](repeating: Slot(), count: slotCount)

    /// The string of the UTF-8 bytes `start..<start + count` (valid UTF-8 or not, exactly as
    /// `String(decoding:as:)` makes it).
    mutating func name(_ start: UnsafePointer<UInt8>, count: Int) -> String {
        guard count <= Self.bytesMax else { return Self.make(start, count) }
        let words = Self.words(start, count)
        let mixed = (words.0 ^ (words.1 &* 31) ^ (words.2 &* 961) ^ words.3 ^ UInt64(count)) &* 0x9E37_79B9_7F4A_7C15
        let index = Int(truncatingIfNeeded: mixed >> 58)
        return slots.withUnsafeMutableBufferPointer { slots in
            let slot = slots.baseAddress! + index
            if slot.pointee.count == count, slot.pointee.words == words { return slot.pointee.name }
            let name = Self.make(start, count)
            slot.pointee = Slot(words: words, count: count, name: name)
            return name
        }
    }

    /// The bytes as four words that tell any two names of up to 32 bytes apart, given their
    /// lengths: overlapping loads from both ends cover every byte, without a copy.
    @inline(__always)
    private static func words(_ start: UnsafePointer<UInt8>, _ count: Int) -> (UInt64, UInt64, UInt64, UInt64) {
        if count >= 8 {
            return (ByteScan.word(start), ByteScan.word(start + min(8, count &- 8)),
                    ByteScan.word(start + min(16, count &- 8)), ByteScan.word(start + (count &- 8)))
        }
        var word: UInt64 = 0
        for index in 0..<count { word |= UInt64(start[index]) << (8 &* UInt64(index)) }
        return (word, 0, 0, 0)
    }

    private static func make(_ start: UnsafePointer<UInt8>, _ count: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    }
}
