#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LedgerLog

/// Reads the top-level members of a canonical JSON payload in one pass, without building a tree
/// and without allocating: the fast path of folds over millions of events. Nested values are
/// skipped; strings with escapes are decoded by the full parser.
package enum PayloadFields {
    /// A member's value as the scan sees it.
    public enum Value {
        case integer(Int64)
        case string(String)
        /// Anything else: an object, an array, a literal, an integer outside Int64.
        case other
    }

    /// Calls `body` with each top-level member's key (raw UTF-8 bytes) and value.
    public static func scan(_ payload: ArraySlice<UInt8>, _ body: (UnsafeRawBufferPointer, Value) throws -> Void) throws {
        try payload.withUnsafeBytes { raw in
            var scanner = Scanner(bytes: raw)
            try scanner.members(body)
        }
    }

    /// True when a raw key equals `name`.
    public static func key(_ key: UnsafeRawBufferPointer, is name: StaticString) -> Bool {
        key.count == name.utf8CodeUnitCount && memcmp(key.baseAddress!, name.utf8Start, key.count) == 0
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        func fail(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: index, reason: reason) }

        mutating func members(_ body: (UnsafeRawBufferPointer, Value) throws -> Void) throws {
            guard bytes.count >= 2, bytes[0] == 0x7B else { throw fail("payload is not an object") }
            index = 1
            while index < bytes.count, bytes[index] != 0x7D {
                guard bytes[index] == 0x22 else { throw fail("expected a key") }
                let keyStart = index + 1
                index = keyStart
                while index < bytes.count, bytes[index] != 0x22 { index += bytes[index] == 0x5C ? 2 : 1 }
                guard index + 2 < bytes.count else { throw fail("truncated member") }
                let key = UnsafeRawBufferPointer(rebasing: bytes[keyStart..<index])
                index += 2
                try body(key, try value())
                if index < bytes.count, bytes[index] == 0x2C { index += 1 }
            }
        }

        mutating func value() throws -> Value {
            let start = index
            switch bytes[index] {
            case 0x22:
                index += 1
                var escaped = false
                while index < bytes.count, bytes[index] != 0x22 {
                    if bytes[index] == 0x5C { escaped = true; index += 1 }
                    index += 1
                }
                guard index < bytes.count else { throw fail("unterminated string") }
                index += 1
                if !escaped {
                    return .string(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(start + 1)..<(index - 1)]), as: UTF8.self))
                }
                guard case .string(let text) = try JSONValue.parse(UnsafeRawBufferPointer(rebasing: bytes[start..<index])) else {
                    throw fail("bad string")
                }
                return .string(text)
            case 0x2D, 0x30...0x39:
                var negative = false
                if bytes[index] == 0x2D { negative = true; index += 1 }
                var magnitude: UInt64 = 0
                var digits = 0
                while index < bytes.count, bytes[index] &- 0x30 < 10 {
                    magnitude = magnitude &* 10 &+ UInt64(bytes[index] - 0x30)
                    digits += 1
                    index += 1
                }
                guard digits <= 18 else { return .other }
                return .integer(negative ? -Int64(magnitude) : Int64(magnitude))
            default:
                try skipNested()
                return .other
            }
        }

        /// Skips an object, array or literal.
        mutating func skipNested() throws {
            var depth = 0
            var inString = false
            while index < bytes.count {
                let byte = bytes[index]
                if inString {
                    if byte == 0x5C { index += 1 } else if byte == 0x22 { inString = false }
                    index += 1
                    continue
                }
                switch byte {
                case 0x22: inString = true
                case 0x7B, 0x5B: depth += 1
                case 0x7D, 0x5D:
                    if depth == 0 { return }
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return
                    }
                case 0x2C where depth == 0: return
                default: break
                }
                index += 1
            }
            throw fail("unterminated value")
        }
    }
}
