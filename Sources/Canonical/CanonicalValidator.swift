#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hot-path check that bytes are canonical JSON: the same rules as `JSONParser` in canonical
/// mode, over raw pointers, building nothing. Every append runs it on every payload.
struct CanonicalValidator {
    private let base: UnsafePointer<UInt8>
    private let count: Int
    private var position = 0
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        count = bytes.count
    }

    mutating func validateDocument() throws(JSONSyntaxError) {
        try value()
        guard position == count else { throw fail("unexpected text after the JSON value") }
    }

    private mutating func value() throws(JSONSyntaxError) {
        guard position < count else { throw fail("unexpected end of JSON") }
        switch base[position] {
        case 0x7B: try object()
        case 0x5B: try array()
        case 0x22: try string()
        case 0x74: try literal(0x7472_7565, length: 4)  // true
        case 0x66: try literal(0x6661_6C73, length: 5)  // false (first four bytes, then 'e')
        case 0x6E: try literal(0x6E75_6C6C, length: 4)  // null
        case 0x2D, 0x30...0x39: try integer()
        default: throw fail("unexpected character")
        }
    }

    private mutating func object() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= JSONParser.depthMax else { throw fail("nesting deeper than \(JSONParser.depthMax)") }
        position += 1
        if position < count && base[position] == 0x7D {
            position += 1
            depth -= 1
            return
        }
        var previousStart = -1
        var previousLength = 0
        while true {
            guard position < count, base[position] == 0x22 else { throw fail("expected a string key") }
            let keyStart = position
            try string()
            let keyLength = position - keyStart
            if previousStart >= 0 {
                guard keyPrecedes(previousStart, previousLength, keyStart, keyLength) else {
                    throw JSONSyntaxError(offset: keyStart, reason: "key out of order or repeated (keys must be sorted by UTF-8 bytes)")
                }
            }
            previousStart = keyStart
            previousLength = keyLength
            guard position < count, base[position] == 0x3A else { throw fail("expected ':' after a key") }
            position += 1
            try value()
            guard position < count else { throw fail("unterminated object") }
            let next = base[position]
            position += 1
            if next == 0x2C { continue }
            if next == 0x7D { break }
            position -= 1
            throw fail("expected ',' or '}' in object")
        }
        depth -= 1
    }

    /// Keys are ordered by their decoded UTF-8 bytes; raw bytes give the same order unless a key
    /// holds an escape, which takes the slow path.
    private func keyPrecedes(_ aStart: Int, _ aLength: Int, _ bStart: Int, _ bLength: Int) -> Bool {
        let a = UnsafeRawBufferPointer(start: base + aStart, count: aLength)
        let b = UnsafeRawBufferPointer(start: base + bStart, count: bLength)
        if memchr(a.baseAddress!, 0x5C, aLength) == nil && memchr(b.baseAddress!, 0x5C, bLength) == nil {
            // Compare the contents, without the quotes (a quote sorts after ' ' and '!').
            let order = memcmp(a.baseAddress! + 1, b.baseAddress! + 1, min(aLength, bLength) - 2)
            return order < 0 || (order == 0 && aLength < bLength)
        }
        func decoded(_ raw: UnsafeRawBufferPointer) -> [UInt8] {
            var parser = JSONParser(raw, canonical: false, buildTree: true)
            guard case .string(let text)? = try? parser.parseDocument() else { return [] }
            return Array(text.utf8)
        }
        return decoded(a).lexicographicallyPrecedes(decoded(b))
    }

    private mutating func array() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= JSONParser.depthMax else { throw fail("nesting deeper than \(JSONParser.depthMax)") }
        position += 1
        if position < count && base[position] == 0x5D {
            position += 1
            depth -= 1
            return
        }
        while true {
            try value()
            guard position < count else { throw fail("unterminated array") }
            let next = base[position]
            position += 1
            if next == 0x2C { continue }
            if next == 0x5D { break }
            position -= 1
            throw fail("expected ',' or ']' in array")
        }
        depth -= 1
    }

    private mutating func string() throws(JSONSyntaxError) {
        // A local index keeps the loop in registers; `position` is written back at each exit.
        var index = position &+ 1
        while index < count {
            // Eight plain bytes at a time (no quote, backslash, control or non-ASCII byte).
            if index &+ 8 <= count {
                let word = ByteScan.word(base + index)
                let stops = ByteScan.stringStops(word) | (word & 0x8080_8080_8080_8080)
                if stops == 0 {
                    index &+= 8
                    continue
                }
                index &+= stops.trailingZeroBitCount / 8
            }
            let byte = base[index]
            if byte == 0x22 {
                position = index &+ 1
                return
            }
            if byte == 0x5C || byte >= 0x80 || byte < 0x20 {
                position = index
                if byte < 0x20 { throw fail("control character in string; escape it") }
                if byte == 0x5C { try escape() } else { try utf8() }
                index = position
            } else {
                index &+= 1
            }
        }
        position = index
        throw fail("unterminated string")
    }

    private mutating func escape() throws(JSONSyntaxError) {
        guard position + 1 < count else { throw fail("unterminated escape") }
        switch base[position + 1] {
        case 0x22, 0x5C, 0x62, 0x66, 0x6E, 0x72, 0x74:
            position += 2
        case 0x75:
            guard position + 6 <= count else { throw fail("truncated \\u escape") }
            var scalar: UInt32 = 0
            for index in (position + 2)..<(position + 6) {
                let byte = base[index]
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
                default: throw fail("\\u escape must be four lower-case hex digits")
                }
                scalar = scalar << 4 | digit
            }
            guard scalar < 0x20, ![0x08, 0x09, 0x0A, 0x0C, 0x0D].contains(scalar) else {
                throw fail("\\u escape of a character that canonical JSON writes as itself or as a short escape")
            }
            position += 6
        default:
            throw fail("escape not allowed in canonical JSON")
        }
    }

    private mutating func utf8() throws(JSONSyntaxError) {
        let lead = base[position]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: throw fail("invalid UTF-8")
        }
        guard position + length <= count else { throw fail("truncated UTF-8") }
        for offset in 1..<length where base[position + offset] & 0xC0 != 0x80 { throw fail("invalid UTF-8") }
        position += length
    }

    private mutating func integer() throws(JSONSyntaxError) {
        let start = position
        var index = position
        if base[index] == 0x2D { index &+= 1 }
        let digitsStart = index
        while index < count, base[index] &- 0x30 < 10 { index &+= 1 }
        position = index
        let digits = index &- digitsStart
        guard digits > 0 else { throw fail("expected digits") }
        if index < count, base[index] == 0x2E || base[index] | 0x20 == 0x65 {
            throw JSONSyntaxError(offset: start, reason: "number with a fraction or exponent; the log holds integers only, write decimals as strings")
        }
        guard digits == 1 || base[digitsStart] != 0x30 else { throw JSONSyntaxError(offset: start, reason: "integer with a leading zero") }
        guard !(digits == 1 && base[digitsStart] == 0x30 && digitsStart != start) else {
            throw JSONSyntaxError(offset: start, reason: "-0 is not canonical; write 0")
        }
        guard digits <= 20 else { throw JSONSyntaxError(offset: start, reason: "integer of more than 20 digits; write it as a string") }
    }

    private mutating func literal(_ firstFour: UInt32, length: Int) throws(JSONSyntaxError) {
        guard position + length <= count else { throw fail("unexpected end of JSON") }
        let word = UInt32(base[position]) << 24 | UInt32(base[position + 1]) << 16 | UInt32(base[position + 2]) << 8 | UInt32(base[position + 3])
        guard word == firstFour, length == 4 || base[position + 4] == 0x65 else { throw fail("unexpected literal") }
        position += length
    }

    private func fail(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: position, reason: reason)
    }
}
