import ClashCore
import LedgerLog

/// Typed access to a parsed response with error paths: every miss names the field it missed.
struct ResponseReader {
    let source: String
    let request: String

    func fail(_ path: String, _ reason: String) -> IngestError {
        IngestError(source: source, request: request, field: path, reason: reason)
    }

    func parse(_ bytes: [UInt8]) throws(IngestError) -> JSONValue {
        do {
            return try JSONValue.parse(bytes, allowingDecimals: true)
        } catch {
            throw fail("", "not valid JSON (\(error)); the body may be truncated or of another kind")
        }
    }

    func array(_ value: JSONValue?, _ path: String) throws(IngestError) -> [JSONValue] {
        guard case .array(let elements)? = value else { throw fail(path, "expected an array") }
        return elements
    }

    func object(_ value: JSONValue?, _ path: String) throws(IngestError) -> [(key: String, value: JSONValue)] {
        guard case .object(let members)? = value else { throw fail(path, "expected an object") }
        return members
    }

    func string(_ value: JSONValue?, _ path: String) throws(IngestError) -> String {
        guard case .string(let text)? = value else { throw fail(path, "expected a string") }
        return text
    }

    func integer(_ value: JSONValue?, _ path: String) throws(IngestError) -> Int64 {
        guard case .integer(let text)? = value, let number = Int64(text) else { throw fail(path, "expected an integer") }
        return number
    }

    func bool(_ value: JSONValue?, _ path: String, default fallback: Bool) throws(IngestError) -> Bool {
        switch value {
        case nil, .null?: return fallback
        case .bool(let flag)?: return flag
        default: throw fail(path, "expected true or false")
        }
    }

    /// A decimal given as a string or a number, at a fixed-point scale.
    func fixed(_ value: JSONValue?, _ path: String, scale: Int, rounding: FixedPoint.Rounding = .exact) throws(IngestError) -> Int64 {
        let text: String
        switch value {
        case .string(let string)?: text = string
        case .integer(let digits)?: text = digits
        case .decimal(let digits)?: text = digits
        default: throw fail(path, "expected a decimal number")
        }
        do { return try FixedPoint.parse(text, scale: scale, rounding: rounding) } catch { throw fail(path, "\(error)") }
    }

    /// Like `fixed`, but nil for a missing or null value.
    func optionalFixed(_ value: JSONValue?, _ path: String, scale: Int, rounding: FixedPoint.Rounding = .exact) throws(IngestError) -> Int64? {
        switch value {
        case nil, .null?: return nil
        default: return try fixed(value, path, scale: scale, rounding: rounding)
        }
    }
}
