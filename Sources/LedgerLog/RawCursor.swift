#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes canonical JSON pieces through a raw pointer into space reserved beforehand: the hot path
/// of encoding records, without a capacity check per byte.
struct RawCursor {
    private(set) var pointer: UnsafeMutablePointer<UInt8>

    init(_ pointer: UnsafeMutablePointer<UInt8>) {
        self.pointer = pointer
    }

    /// Bytes one string takes at most, quoted and escaped.
    static func stringBound(_ value: String) -> Int { 2 + 6 * value.utf8.count }

    mutating func put(_ byte: UInt8) {
        pointer.pointee = byte
        pointer += 1
    }

    mutating func put(_ text: StaticString) {
        let count = text.utf8CodeUnitCount
        memcpy(pointer, text.utf8Start, count)
        pointer += count
    }

    mutating func put(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        memcpy(pointer, source, bytes.count)
        pointer += bytes.count
    }

    mutating func putString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            put(0x22)
            let needsEscape = utf8.baseAddress.map { ByteScan.firstStop($0, from: 0, to: utf8.count) < utf8.count } ?? false
            if !needsEscape {
                put(UnsafeRawBufferPointer(utf8))
            } else {
                for byte in utf8 { putEscaped(byte) }
            }
            put(0x22)
        }
    }

    mutating func putInt(_ value: Int64) {
        if value < 0 {
            put(0x2D)
            putDigits(value.magnitude)
        } else {
            putDigits(UInt64(value))
        }
    }

    mutating func putDigits(_ value: UInt64) {
        var count = 1
        var power: UInt64 = 10
        while count < 20 && value >= power {
            count += 1
            power = count < 20 ? power &* 10 : .max
        }
        // Two digits at a time from the end, from a table of "00" to "99".
        let pairs = Self.digitPairs.utf8Start
        var rest = value
        var index = count
        while rest >= 100 {
            let pair = Int(truncatingIfNeeded: rest % 100) &* 2
            rest /= 100
            index &-= 2
            pointer[index] = pairs[pair]
            pointer[index &+ 1] = pairs[pair &+ 1]
        }
        if rest >= 10 {
            let pair = Int(truncatingIfNeeded: rest) &* 2
            pointer[0] = pairs[pair]
            pointer[1] = pairs[pair &+ 1]
        } else {
            pointer[0] = 0x30 &+ UInt8(truncatingIfNeeded: rest)
        }
        pointer += count
    }

    private static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    private static let hexDigits: StaticString = "0123456789abcdef"

    private mutating func putEscaped(_ byte: UInt8) {
        switch byte {
        case 0x22: put("\\\"")
        case 0x5C: put("\\\\")
        case 0x08: put("\\b")
        case 0x0C: put("\\f")
        case 0x0A: put("\\n")
        case 0x0D: put("\\r")
        case 0x09: put("\\t")
        case 0..<0x20:
            put("\\u00")
            put(Self.hexDigits.utf8Start[Int(byte >> 4)])
            put(Self.hexDigits.utf8Start[Int(byte & 0xF)])
        default: put(byte)
        }
    }
}

extension CanonicalJSONWriter {
    /// Lets `body` write at most `bound` bytes through a raw cursor into scratch space (on the
    /// stack when small), then appends what it wrote: no zero-filling of reserved space.
    mutating func withReserved(_ bound: Int, _ body: (inout RawCursor) -> Void) {
        withUnsafeTemporaryAllocation(byteCount: bound, alignment: 8) { scratch in
            let start = scratch.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var cursor = RawCursor(start)
            body(&cursor)
            let written = start.distance(to: cursor.pointer)
            precondition(written <= bound, "a record wrote past the bound computed for it")
            bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: written))
        }
    }
}
