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
            var needsEscape = false
            for byte in utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                needsEscape = true
                break
            }
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
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        var rest = value
        var index = digits - 1
        while index >= 0 {
            pointer[index] = 0x30 &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
            index -= 1
        }
        pointer += digits
    }

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
    private static let zeros = [UInt8](repeating: 0, count: 8192)

    /// Reserves `bound` bytes, lets `body` write at most that many through a raw cursor, and keeps
    /// what it wrote.
    mutating func withReserved(_ bound: Int, _ body: (inout RawCursor) -> Void) {
        let start = bytes.count
        if bound <= Self.zeros.count {
            Self.zeros.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<bound])) }
        } else {
            bytes.append(contentsOf: [UInt8](repeating: 0, count: bound))
        }
        var written = 0
        bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor = RawCursor(buffer.baseAddress! + start)
            body(&cursor)
            written = buffer.baseAddress!.distance(to: cursor.pointer) - start
        }
        precondition(written <= bound, "a record wrote past the bound computed for it")
        bytes.removeLast(bound - written)
    }
}
