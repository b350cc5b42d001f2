/// Recursive-descent JSON parser. In canonical mode it also rejects whitespace, unsorted or
/// repeated keys, non-minimal escapes and non-canonical integers; it never accepts fractions.
package struct JSONParser {
    private let bytes: UnsafeRawBufferPointer
    private let canonical: Bool
    private let buildTree: Bool
    private let allowDecimals: Bool
    private var position = 0
    private var depth = 0
    static let depthMax = 64

    package init(_ bytes: UnsafeRawBufferPointer, canonical: Bool, buildTree: Bool, allowDecimals: Bool = false) {
        self.bytes = bytes
        self.canonical = canonical
        self.buildTree = buildTree
        self.allowDecimals = allowDecimals && !canonical
    }

    package mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw fail("unexpected text after the JSON value") }
        return value
    }

    // MARK: - Values

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        guard position < bytes.count else { throw fail("unexpected end of JSON") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""):
            let text = try parseString()
            return buildTree ? .string(text) : .null
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseInteger()
        default: throw fail("unexpected character '\(Character(Unicode.Scalar(bytes[position])))'")
        }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        var previousKey: String?
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            position += 1
            depth -= 1
            return .object([])
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw fail("expected a string key") }
            let keyStart = position
            let key = try parseString()
            if canonical && buildTree {
                if let previousKey, !Array(previousKey.utf8).lexicographicallyPrecedes(Array(key.utf8)) {
                    throw JSONSyntaxError(offset: keyStart, reason: "key \(key) is out of order or repeated (keys must be sorted by UTF-8 bytes)")
                }
                previousKey = key
            }
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw fail("expected ':' after key \(key)") }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            if buildTree { members.append((key, value)) }
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { position += 1; continue }
            if peek(UInt8(ascii: "}")) { position += 1; break }
            throw fail("expected ',' or '}' in object")
        }
        depth -= 1
        guard buildTree else { return .null }
        members.sort { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
        for index in members.indices.dropFirst() where members[index].key == members[index - 1].key {
            throw fail("repeated key \(members[index].key) in object")
        }
        return .object(members)
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            position += 1
            depth -= 1
            return .array([])
        }
        while true {
            skipWhitespace()
            let value = try parseValue()
            if buildTree { elements.append(value) }
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { position += 1; continue }
            if peek(UInt8(ascii: "]")) { position += 1; break }
            throw fail("expected ',' or ']' in array")
        }
        depth -= 1
        return buildTree ? .array(elements) : .null
    }

    private mutating func parseInteger() throws(JSONSyntaxError) -> JSONValue {
        let start = position
        if peek(UInt8(ascii: "-")) { position += 1 }
        let digitsStart = position
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
        let digitCount = position - digitsStart
        guard digitCount > 0 else { throw fail("expected digits") }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") || bytes[position] | 0x20 == UInt8(ascii: "e") {
            guard allowDecimals else {
                throw JSONSyntaxError(offset: start, reason: "number with a fraction or exponent; the log holds integers only, write decimals as strings")
            }
            return try parseDecimalTail(start: start)
        }
        if digitCount > 1 && bytes[digitsStart] == UInt8(ascii: "0") {
            throw JSONSyntaxError(offset: start, reason: "integer with a leading zero")
        }
        if canonical && digitCount == 1 && bytes[digitsStart] == UInt8(ascii: "0") && digitsStart != start {
            throw JSONSyntaxError(offset: start, reason: "-0 is not canonical; write 0")
        }
        guard digitCount <= 20 else { throw JSONSyntaxError(offset: start, reason: "integer of more than 20 digits; write it as a string") }
        guard buildTree else { return .null }
        return .integer(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
    }

    /// The fraction and exponent of a number whose integer part was read (JSON's grammar).
    private mutating func parseDecimalTail(start: Int) throws(JSONSyntaxError) -> JSONValue {
        func digits() throws(JSONSyntaxError) {
            let from = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            guard position > from else { throw fail("expected digits in a number") }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            try digits()
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            try digits()
        }
        return .decimal(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
    }

    /// Parses a string starting at the opening quote and returns its text (empty when not building).
    private mutating func parseString() throws(JSONSyntaxError) -> String {
        position += 1
        let start = position
        var decoded: [UInt8] = []
        var escaped = false
        while true {
            guard position < bytes.count else { throw fail("unterminated string") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw fail("control character in string; escape it") }
            if byte == UInt8(ascii: "\\") {
                if !escaped && buildTree { decoded.append(contentsOf: bytes[start..<position]) }
                escaped = true
                try parseEscape(into: &decoded)
                continue
            }
            if byte >= 0x80 {
                let length = try utf8SequenceLength(at: position)
                if escaped && buildTree { decoded.append(contentsOf: bytes[position..<(position + length)]) }
                position += length
                continue
            }
            if escaped && buildTree { decoded.append(byte) }
            position += 1
        }
        let end = position
        position += 1
        guard buildTree else { return "" }
        if escaped { return String(decoding: decoded, as: UTF8.self) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    private mutating func parseEscape(into decoded: inout [UInt8]) throws(JSONSyntaxError) {
        let escapeStart = position
        position += 1
        guard position < bytes.count else { throw fail("unterminated escape") }
        let letter = bytes[position]
        position += 1
        let simple: UInt8?
        switch letter {
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "/"):
            if canonical { throw JSONSyntaxError(offset: escapeStart, reason: "\\/ is not canonical; write /") }
            simple = UInt8(ascii: "/")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default: throw JSONSyntaxError(offset: escapeStart, reason: "unknown escape")
        }
        if let simple {
            decoded.append(simple)
            return
        }
        var scalar = try parseHex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                throw JSONSyntaxError(offset: escapeStart, reason: "unpaired surrogate escape")
            }
            position += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw JSONSyntaxError(offset: escapeStart, reason: "unpaired surrogate escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw JSONSyntaxError(offset: escapeStart, reason: "invalid \\u escape") }
        if canonical && (scalar >= 0x20 || [0x08, 0x09, 0x0A, 0x0C, 0x0D].contains(scalar)) {
            throw JSONSyntaxError(offset: escapeStart, reason: "\\u escape of a character that canonical JSON writes as itself or as a short escape")
        }
        decoded.append(contentsOf: Array(String(Character(unicode)).utf8))
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"):
                if canonical { throw fail("upper-case hex in \\u escape is not canonical") }
                digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("bad hex digit in \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private func utf8SequenceLength(at index: Int) throws(JSONSyntaxError) -> Int {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: throw JSONSyntaxError(offset: index, reason: "invalid UTF-8")
        }
        guard index + length <= bytes.count else { throw JSONSyntaxError(offset: index, reason: "truncated UTF-8") }
        for offset in 1..<length where bytes[index + offset] & 0xC0 != 0x80 {
            throw JSONSyntaxError(offset: index, reason: "invalid UTF-8")
        }
        return length
    }

    // MARK: - Helpers

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= Self.depthMax else { throw fail("nesting deeper than \(Self.depthMax)") }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw fail("unexpected end of JSON") }
        let matches = literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[position + $0] == expected[$0] }
        }
        guard matches else { throw fail("unexpected literal") }
        position += count
    }

    private func peek(_ byte: UInt8) -> Bool {
        position < bytes.count && bytes[position] == byte
    }

    private mutating func skipWhitespace() {
        guard !canonical else { return }
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func fail(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: position, reason: reason)
    }
}
