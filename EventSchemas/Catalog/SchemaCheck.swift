import Foundation
import Canonical

/// The catalog's JSON Schemas applied to an event before it is appended, so that what a command
/// builds can never break its own schema (a pattern, a range, a length, a required or unknown
/// member). The keywords the catalog's schemas use are the ones checked: `type`, `properties`,
/// `required`, `additionalProperties: false`, `items`, `minItems`, `uniqueItems`, `enum`, `pattern`,
/// `minLength`, `maxLength`, `minimum`, `maximum` and `$ref` into `$defs`; `tools/check-schemas`
/// checks every logged event with a complete Draft 2020-12 validator besides.
///
/// Commands are checked (clones, tickets, races, auditions, the arena); the runtime's own events
/// (runs, decisions, fills), built from values it has already checked, are not, for speed.
public enum SchemaCheck {
    /// Every problem `payload` has against its type's current schema, each as `pointer: what`.
    public static func problems(type: String, version: Int, payload: JSONValue) -> [String] {
        guard let schema = schemas[EventCatalog.Entry.schemaFile(type: type, version: version)] else {
            return ["(event): \(type) version \(version) has no schema in the catalog"]
        }
        var found: [String] = []
        check(payload, against: schema, root: schema, pointer: "", into: &found)
        return found
    }

    /// Every schema, parsed on first use (a static is made once, thread-safely).
    private static let schemas: [String: JSONValue] = {
        var parsed: [String: JSONValue] = [:]
        for entry in EventCatalog.entries {
            if let text = EventCatalog.schema(entry), let value = try? JSONValue.parse(Array(text.utf8), allowingDecimals: true) {
                parsed[entry.schemaFile] = value
            }
        }
        return parsed
    }()

    private static func check(_ value: JSONValue, against schema: JSONValue, root: JSONValue, pointer: String, into found: inout [String]) {
        func problem(_ text: String) { found.append("\(pointer.isEmpty ? "/" : pointer): \(text)") }
        if case .string(let reference)? = schema["$ref"] {
            guard reference.hasPrefix("#/$defs/"), let target = root["$defs"]?[String(reference.dropFirst("#/$defs/".count))] else {
                return problem("the schema's $ref \(reference) is not one of its $defs")
            }
            return check(value, against: target, root: root, pointer: pointer, into: &found)
        }
        if let types = schema["type"] {
            let allowed: [String] = switch types {
            case .string(let one): [one]
            case .array(let many): many.compactMap { if case .string(let name) = $0 { name } else { nil } }
            default: []
            }
            guard allowed.contains(where: { matches(value, type: $0) }) else {
                return problem("is \(kind(value)), not \(allowed.joined(separator: " or "))")
            }
        }
        if case .array(let options)? = schema["enum"], !options.contains(value) {
            problem("\(text(value)) is not one of \(options.map(text).joined(separator: ", "))")
        }
        switch value {
        case .object(let members):
            if case .array(let required)? = schema["required"] {
                for case .string(let name) in required where value[name] == nil { problem("lacks the required member \(name)") }
            }
            let properties = schema["properties"]
            for (key, member) in members {
                if let property = properties?[key] {
                    check(member, against: property, root: root, pointer: pointer + "/" + key, into: &found)
                } else if case .bool(false)? = schema["additionalProperties"] {
                    problem("has \(key), which the schema does not allow")
                }
            }
        case .array(let elements):
            if let minimum = integer(schema["minItems"]), elements.count < minimum { problem("has \(elements.count) items, fewer than \(minimum)") }
            if case .bool(true)? = schema["uniqueItems"], elements.count != Set(elements.map(text)).count { problem("repeats an item") }
            if let items = schema["items"] {
                for (index, element) in elements.enumerated() {
                    check(element, against: items, root: root, pointer: pointer + "/\(index)", into: &found)
                }
            }
        case .string(let string):
            let length = string.unicodeScalars.count
            if let minimum = integer(schema["minLength"]), length < minimum { problem("is \(length) characters, fewer than \(minimum)") }
            if let maximum = integer(schema["maxLength"]), length > maximum { problem("is \(length) characters, more than \(maximum)") }
            if case .string(let pattern)? = schema["pattern"], !matches(string, pattern: pattern) {
                problem("\(string.debugDescription) does not match the pattern \(pattern)")
            }
        case .integer(let digits):
            if let minimum = schema["minimum"], compare(digits, minimum) == .orderedAscending { problem("\(digits) is below the minimum \(text(minimum))") }
            if let maximum = schema["maximum"], compare(digits, maximum) == .orderedDescending { problem("\(digits) is above the maximum \(text(maximum))") }
        default:
            break
        }
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("integer", .integer), ("number", .integer), ("number", .decimal), ("string", .string),
             ("array", .array), ("object", .object): true
        default: false
        }
    }

    static func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .integer: "an integer"
        case .decimal: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    static func text(_ value: JSONValue) -> String { String(decoding: value.canonicalBytes, as: UTF8.self) }

    static func integer(_ value: JSONValue?) -> Int? {
        if case .integer(let digits)? = value { return Int(digits) }
        return nil
    }

    /// An integer's digits against a schema bound (an integer or a decimal), exactly for integers.
    static func compare(_ digits: String, _ bound: JSONValue) -> ComparisonResult {
        switch bound {
        case .integer(let limit):
            if let a = Int128(digits), let b = Int128(limit) { return a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame }
            return .orderedSame
        case .decimal(let limit):
            guard let a = Double(digits), let b = Double(limit) else { return .orderedSame }
            return a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
        default:
            return .orderedSame
        }
    }

    /// Whether `pattern` (an ECMA-262 regular expression, unanchored as JSON Schema reads it) finds a match.
    static func matches(_ string: String, pattern: String) -> Bool {
        guard let expression = patterns.expression(pattern) else { return false }
        return expression.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil
    }

    private static let patterns = PatternCache()

    /// Compiled patterns, shared between threads.
    final class PatternCache: @unchecked Sendable {
        private let lock = NSLock()
        private var compiled: [String: NSRegularExpression] = [:]

        func expression(_ pattern: String) -> NSRegularExpression? {
            lock.lock()
            defer { lock.unlock() }
            if let known = compiled[pattern] { return known }
            let made = try? NSRegularExpression(pattern: pattern)
            compiled[pattern] = made
            return made
        }
    }
}

extension EventCatalog {
    /// Refuses a draft that is not a current catalog event, whose payload does not decode, or that
    /// breaks any constraint of its schema (`SchemaCheck`): every problem named, nothing appended.
    public static func check(_ draft: EventDraft) throws(CatalogError) {
        guard let entry = entry(type: draft.type, version: draft.schemaVersion), entry.isCurrent else {
            throw .notCurrent(type: draft.type, version: draft.schemaVersion)
        }
        let payload: JSONValue
        do {
            payload = try JSONValue.parse(draft.payload)
            _ = try entry.decode(Data(draft.payload))
        } catch {
            throw .breaksSchema(id: draft.id, type: draft.type, version: draft.schemaVersion, problems: ["\(error)"])
        }
        let problems = SchemaCheck.problems(type: draft.type, version: draft.schemaVersion, payload: payload)
        guard problems.isEmpty else { throw .breaksSchema(id: draft.id, type: draft.type, version: draft.schemaVersion, problems: problems) }
    }
}
