import LedgerLog

/// Reads the members of a flat canonical JSON payload without building a tree: the fast path
/// of folds over millions of events. Nested values are skipped, not read.
public struct PayloadFields {
    private var strings: [(key: ArraySlice<UInt8>, value: String)] = []
    private var integers: [(key: ArraySlice<UInt8>, value: Int64)] = []

    /// Scans a payload; throws when it is not a JSON object.
    public init(_ payload: ArraySlice<UInt8>) throws(JSONSyntaxError) {
        var index = payload.startIndex
        let end = payload.endIndex
        func fail(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: index - payload.startIndex, reason: reason) }
        guard index < end, payload[index] == 0x7B else { throw fail("payload is not an object") }
        index += 1
        while index < end, payload[index] != 0x7D {
            guard payload[index] == 0x22 else { throw fail("expected a key") }
            let keyStart = index + 1
            index = keyStart
            while index < end, payload[index] != 0x22 { index += payload[index] == 0x5C ? 2 : 1 }
            let key = payload[keyStart..<min(index, end)]
            index += 2  // closing quote and colon
            guard index < end else { throw fail("truncated member") }
            let valueStart = index
            switch payload[index] {
            case 0x22:
                index += 1
                var escaped = false
                while index < end, payload[index] != 0x22 {
                    if payload[index] == 0x5C { escaped = true; index += 1 }
                    index += 1
                }
                guard index < end else { throw fail("unterminated string") }
                index += 1
                let text = escaped
                    ? (try? JSONValue.parse(payload[valueStart..<index])).flatMap { if case .string(let s) = $0 { s } else { nil } } ?? ""
                    : String(decoding: payload[(valueStart + 1)..<(index - 1)], as: UTF8.self)
                strings.append((key, text))
            case 0x2D, 0x30...0x39:
                var negative = false
                if payload[index] == 0x2D { negative = true; index += 1 }
                var value: Int64 = 0
                var overflow = false
                while index < end, payload[index] &- 0x30 < 10 {
                    let (times, o1) = value.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times.addingReportingOverflow(Int64(payload[index] - 0x30))
                    overflow = overflow || o1 || o2
                    value = sum
                    index += 1
                }
                if !overflow { integers.append((key, negative ? -value : value)) }
            default:
                index = try Self.skipValue(payload, from: index)
            }
            if index < end, payload[index] == 0x2C { index += 1 }
        }
    }

    /// The string member `key`, or nil.
    public func string(_ key: StaticString) -> String? {
        strings.first { Self.equal($0.key, key) }?.value
    }

    /// The integer member `key` (within Int64), or nil.
    public func integer(_ key: StaticString) -> Int64? {
        integers.first { Self.equal($0.key, key) }?.value
    }

    private static func equal(_ bytes: ArraySlice<UInt8>, _ key: StaticString) -> Bool {
        key.withUTF8Buffer { bytes.elementsEqual($0) }
    }

    /// Skips a nested value (object, array, literal) and returns the index after it.
    private static func skipValue(_ payload: ArraySlice<UInt8>, from start: Int) throws(JSONSyntaxError) -> Int {
        var index = start
        var depth = 0
        var inString = false
        while index < payload.endIndex {
            let byte = payload[index]
            index += 1
            if inString {
                if byte == 0x5C { index += 1 } else if byte == 0x22 { inString = false }
                continue
            }
            switch byte {
            case 0x22: inString = true
            case 0x7B, 0x5B: depth += 1
            case 0x7D, 0x5D:
                if depth == 0 { return index - 1 }
                depth -= 1
                if depth == 0 { return index }
            case 0x2C where depth == 0: return index - 1
            default: break
            }
        }
        if depth == 0 { return index }
        throw JSONSyntaxError(offset: start - payload.startIndex, reason: "unterminated value")
    }
}
