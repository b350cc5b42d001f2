/// A parsed JSON value, as the log's canonical form allows: integers, never floating point.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// An integer kept as its decimal digits (with an optional leading `-`), so no range is lost.
    case integer(String)
    /// A number with a fraction or an exponent, kept as its text. Only `parse(_:allowingDecimals:)`
    /// makes one (for reading outside data exactly, never through floating point); it has no
    /// canonical form: convert it to a fixed-point integer or a string before it enters an event.
    case decimal(String)
    case string(String)
    case array([JSONValue])
    /// Members sorted by key (UTF-8 byte order), keys unique.
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.decimal(a), .decimal(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// Parses any JSON text (whitespace and key order free) whose numbers are integers; with
    /// `allowingDecimals`, other numbers are kept as `.decimal` text.
    public static func parse<Bytes: Collection>(_ bytes: Bytes, allowingDecimals: Bool = false) throws(JSONSyntaxError) -> JSONValue
    where Bytes.Element == UInt8 {
        let array = Array(bytes)
        return try array.withBytes { (buffer) throws(JSONSyntaxError) -> JSONValue in
            var parser = JSONParser(buffer, canonical: false, buildTree: true, allowDecimals: allowingDecimals)
            return try parser.parseDocument()
        }
    }

    /// The value's canonical bytes.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalJSONWriter()
        write(to: &writer)
        return writer.bytes
    }

    /// Writes the value in canonical form.
    public func write(to writer: inout CanonicalJSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .integer(let digits): writer.raw(Array(digits.utf8))
        case .decimal(let text): preconditionFailure("the decimal \(text) has no canonical form; convert it to a fixed-point integer")
        case .string(let value): writer.string(value)
        case .array(let elements):
            writer.beginArray()
            for element in elements { element.write(to: &writer) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for member in members {
                writer.key(member.key)
                member.value.write(to: &writer)
            }
            writer.endObject()
        }
    }

    /// The member named `key` of an object, or nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}

/// Checks that bytes are canonical JSON as the log stores it.
public enum CanonicalJSON {
    /// Throws, naming the offset, unless `bytes` is one canonical JSON object.
    public static func validateObject(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) {
        guard bytes.first == UInt8(ascii: "{") else {
            throw JSONSyntaxError(offset: 0, reason: "expected a JSON object")
        }
        var validator = CanonicalValidator(bytes)
        try validator.validateDocument()
    }

    /// Array convenience for `validateObject`.
    public static func validateObject(_ bytes: [UInt8]) throws(JSONSyntaxError) {
        try bytes.withBytes { (buffer) throws(JSONSyntaxError) in try validateObject(buffer) }
    }

    /// Parses any JSON object text and returns its canonical bytes.
    public static func canonicalize(_ bytes: [UInt8]) throws(JSONSyntaxError) -> [UInt8] {
        try JSONValue.parse(bytes).canonicalBytes
    }
}

/// Where and why JSON text is not acceptable.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset of the problem within the text.
    public var offset: Int
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(reason) at byte \(offset)" }
}
