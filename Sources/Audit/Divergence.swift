#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EventSchemas
import LedgerLog

/// Where a recomputed history parts from the logged one: the logged event (its sequence; nil when
/// the log lacks an event the recomputation produced), the field, and both values.
public struct Divergence: Sendable, Equatable {
    public var sequence: UInt64?
    public var id: String
    public var type: String
    /// A payload field (`price_e8`, `payouts[3].amount_wei`), an envelope field (`timestamp_ms`,
    /// `stream`, `schema_version`, `correlation_id`, `causation_id`), or `(event)` for an event
    /// only one side has.
    public var field: String
    public var logged: String
    public var recomputed: String

    public init(sequence: UInt64?, id: String, type: String, field: String, logged: String, recomputed: String) {
        self.sequence = sequence
        self.id = id
        self.type = type
        self.field = field
        self.logged = logged
        self.recomputed = recomputed
    }

    /// The first difference between a logged event and its recomputation, or nil when they are the
    /// same event byte for byte. A logged event of an older version of the type is compared as its
    /// upcast to the version recomputed (what it means today): an old race audits under its old rules.
    static func first(logged original: LogRecord, recomputed draft: EventDraft) -> Divergence? {
        guard original.schemaVersion < draft.schemaVersion, original.type == draft.type,
              let current = try? EventCatalog.currentPayload(original), current.version == draft.schemaVersion else {
            return first(logged: original, draft)
        }
        var record = original
        record.schemaVersion = current.version
        record.payload = ArraySlice(current.payload)
        return first(logged: record, draft)
    }

    private static func first(logged record: LogRecord, _ draft: EventDraft) -> Divergence? {
        func divergence(_ field: String, _ logged: String, _ recomputed: String) -> Divergence {
            Divergence(sequence: record.sequence, id: record.id, type: record.type, field: field, logged: logged, recomputed: recomputed)
        }
        let sameEnvelope = record.type == draft.type && record.schemaVersion == draft.schemaVersion && record.stream == draft.stream
            && record.timestampMs == draft.timestampMs && record.correlationId == draft.correlationId && record.causationId == draft.causationId
        let samePayload = record.payload.count == draft.payload.count && (record.payload.isEmpty || record.payload.withUnsafeBytes { logged in
            draft.payload.withUnsafeBytes { memcmp(logged.baseAddress!, $0.baseAddress!, logged.count) == 0 }
        })
        if sameEnvelope, samePayload { return nil }
        let envelope: [(String, String, String)] = [
            ("type", record.type, draft.type),
            ("schema_version", "\(record.schemaVersion)", "\(draft.schemaVersion)"),
            ("stream", record.stream, draft.stream),
            ("timestamp_ms", "\(record.timestampMs)", "\(draft.timestampMs)"),
            ("correlation_id", record.correlationId ?? "null", draft.correlationId ?? "null"),
            ("causation_id", record.causationId ?? "null", draft.causationId ?? "null"),
        ]
        if let (field, logged, recomputed) = envelope.first(where: { $0.1 != $0.2 }) { return divergence(field, logged, recomputed) }
        guard !samePayload else { return nil }
        guard let logged = try? JSONValue.parse(record.payload), let recomputed = try? JSONValue.parse(draft.payload) else {
            return divergence("(payload)", String(decoding: record.payload, as: UTF8.self), String(decoding: draft.payload, as: UTF8.self))
        }
        let (field, left, right) = firstDifference(logged, recomputed, path: "") ?? ("(payload)", logged, recomputed)
        return divergence(field, text(left), text(right))
    }

    /// The path of the first value that differs, members in key order, elements in order.
    static func firstDifference(_ left: JSONValue?, _ right: JSONValue?, path: String) -> (String, JSONValue?, JSONValue?)? {
        switch (left, right) {
        case (.object(let a), .object(let b)):
            let keys = Set(a.map(\.key)).union(b.map(\.key)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for key in keys {
                let field = path.isEmpty ? key : "\(path).\(key)"
                if let found = firstDifference(left?[key], right?[key], path: field) { return found }
            }
            return nil
        case (.array(let a), .array(let b)):
            for index in 0..<max(a.count, b.count) {
                if let found = firstDifference(index < a.count ? a[index] : nil, index < b.count ? b[index] : nil, path: "\(path)[\(index)]") {
                    return found
                }
            }
            return nil
        default:
            return left == right ? nil : (path, left, right)
        }
    }

    static func text(_ value: JSONValue?) -> String {
        guard let value else { return "(absent)" }
        if case .string(let string) = value { return string }
        return String(decoding: value.canonicalBytes, as: UTF8.self)
    }
}
