/// Eight bytes at a time: finding the bytes that end or break a JSON string without looking at
/// each byte on its own.
package enum ByteScan {
    /// The high bit of every byte of `word` that is zero, exactly (no false matches).
    @inline(__always)
    package static func zeroBytes(_ word: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((word & low7) &+ low7) | word | low7)
    }

    /// The high bit of every byte that is a quote, a backslash or a control character.
    @inline(__always)
    package static func stringStops(_ word: UInt64) -> UInt64 {
        zeroBytes(word ^ 0x2222_2222_2222_2222) | zeroBytes(word ^ 0x5C5C_5C5C_5C5C_5C5C) | zeroBytes(word & 0xE0E0_E0E0_E0E0_E0E0)
    }

    /// The eight bytes at `pointer`, the first in the lowest place.
    @inline(__always)
    package static func word(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self).littleEndian
    }

    /// Index of the first quote, backslash or control byte in `start..<end`, or `end`.
    @inline(__always)
    package static func firstStop(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        while index &+ 8 <= end {
            let stops = stringStops(word(base + index))
            if stops != 0 { return index &+ stops.trailingZeroBitCount / 8 }
            index &+= 8
        }
        while index < end {
            let byte = base[index]
            if byte == 0x22 || byte == 0x5C || byte < 0x20 { return index }
            index &+= 1
        }
        return end
    }

    /// Index of the last quote, backslash or control byte in `start..<end`, or nil.
    @inline(__always)
    package static func lastStop(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var index = end
        while index &- 8 >= start {
            let stops = stringStops(word(base + (index &- 8)))
            if stops != 0 { return index &- 8 &+ (63 &- stops.leadingZeroBitCount) / 8 }
            index &-= 8
        }
        while index > start {
            index &-= 1
            let byte = base[index]
            if byte == 0x22 || byte == 0x5C || byte < 0x20 { return index }
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for a body with a typed error (the standard one only rethrows `any Error`).
    package func withBytes<Result, Failure: Error>(_ body: (UnsafeRawBufferPointer) throws(Failure) -> Result) throws(Failure) -> Result {
        var outcome: Swift.Result<Result, Failure>!
        withUnsafeBytes { raw in outcome = Swift.Result { () throws(Failure) -> Result in try body(raw) } }
        return try outcome.get()
    }
}
