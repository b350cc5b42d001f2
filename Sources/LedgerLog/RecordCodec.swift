#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The canonical JSON envelope of one record, and its fast decoder.
///
/// Keys in byte order: causation, correlation, id, payload, schema, seq, stream, stream_version,
/// ts, type. The optional ids are left out when absent.
public enum RecordCodec {
    /// Writes a record's canonical envelope.
    public static func encode(_ record: LogRecord, into writer: inout CanonicalJSONWriter) {
        encode(
            sequence: record.sequence, streamVersion: record.streamVersion, id: record.id, type: record.type,
            schemaVersion: record.schemaVersion, stream: record.stream, timestampMs: record.timestampMs,
            correlationId: record.correlationId, causationId: record.causationId, payload: record.payload, into: &writer)
    }

    /// Writes the canonical envelope of a draft placed at `sequence` and `streamVersion`.
    public static func encode(
        _ draft: EventDraft, sequence: UInt64, streamVersion: UInt64, into writer: inout CanonicalJSONWriter
    ) {
        encode(
            sequence: sequence, streamVersion: streamVersion, id: draft.id, type: draft.type,
            schemaVersion: draft.schemaVersion, stream: draft.stream, timestampMs: draft.timestampMs,
            correlationId: draft.correlationId, causationId: draft.causationId, payload: draft.payload, into: &writer)
    }

    // swiftlint:disable:next function_parameter_count
    static func encode<Payload: Collection>(
        sequence: UInt64, streamVersion: UInt64, id: String, type: String, schemaVersion: Int, stream: String,
        timestampMs: Int64, correlationId: String?, causationId: String?, payload: Payload,
        into writer: inout CanonicalJSONWriter
    ) where Payload.Element == UInt8 {
        writer.beginObject()
        if let causationId { writer.key("causation"); writer.string(causationId) }
        if let correlationId { writer.key("correlation"); writer.string(correlationId) }
        writer.key("id"); writer.string(id)
        writer.key("payload"); writer.raw(payload)
        writer.key("schema"); writer.int(schemaVersion)
        writer.key("seq"); writer.uint(sequence)
        writer.key("stream"); writer.string(stream)
        writer.key("stream_version"); writer.uint(streamVersion)
        writer.key("ts"); writer.int(timestampMs)
        writer.key("type"); writer.string(type)
        writer.endObject()
    }

    /// Decodes one canonical record line `buffer[range]` (no newline). The payload is a slice of `buffer`.
    public static func decode(_ buffer: [UInt8], _ range: Range<Int>) throws(JSONSyntaxError) -> LogRecord {
        try buffer.withBytes { (raw) throws(JSONSyntaxError) in try decode(raw, range, buffer) }
    }

    private static func decode(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>, _ buffer: [UInt8]) throws(JSONSyntaxError) -> LogRecord {
        do {
            var cursor = RecordCursor(bytes: raw, position: range.lowerBound, end: range.upperBound)
            try cursor.expect("{")
            var causation: String?
            var correlation: String?
            if cursor.startsWith("\"causation\":") {
                cursor.skip("\"causation\":")
                causation = try cursor.string()
                try cursor.expect(",")
            }
            if cursor.startsWith("\"correlation\":") {
                cursor.skip("\"correlation\":")
                correlation = try cursor.string()
                try cursor.expect(",")
            }
            try cursor.expect("\"id\":")
            let id = try cursor.string()
            try cursor.expect(",\"payload\":")
            let payloadRange = try cursor.objectExtent()
            try cursor.expect(",\"schema\":")
            let schema = try cursor.integer()
            try cursor.expect(",\"seq\":")
            let sequence = try cursor.integer()
            try cursor.expect(",\"stream\":")
            let stream = try cursor.string()
            try cursor.expect(",\"stream_version\":")
            let streamVersion = try cursor.integer()
            try cursor.expect(",\"ts\":")
            let timestamp = try cursor.integer()
            try cursor.expect(",\"type\":")
            let type = try cursor.string()
            try cursor.expect("}")
            guard cursor.position == range.upperBound else { throw cursor.fail("unexpected bytes after the record") }
            guard sequence >= 1, streamVersion >= 1, schema >= 1, schema <= Int64(Int32.max) else {
                throw cursor.fail("sequence, stream version and schema must be positive")
            }
            return LogRecord(
                sequence: UInt64(sequence), id: id, type: type, schemaVersion: Int(schema), stream: stream,
                streamVersion: UInt64(streamVersion), timestampMs: timestamp, correlationId: correlation,
                causationId: causation, payload: buffer[payloadRange])
        }
    }
}

/// A forward-only reader over canonical record bytes.
private struct RecordCursor {
    let bytes: UnsafeRawBufferPointer
    var position: Int
    let end: Int

    func fail(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: position, reason: reason) }

    func startsWith(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard position + count <= end else { return false }
        return text.withUTF8Buffer { expected in
            memcmp(bytes.baseAddress! + position, expected.baseAddress!, count) == 0
        }
    }

    mutating func skip(_ text: StaticString) { position += text.utf8CodeUnitCount }

    mutating func expect(_ text: StaticString) throws(JSONSyntaxError) {
        guard startsWith(text) else { throw fail("expected \(text) in the record envelope") }
        skip(text)
    }

    mutating func string() throws(JSONSyntaxError) -> String {
        guard position < end, bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a string") }
        let start = position + 1
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { return try escapedString() }
            index += 1
        }
        throw fail("unterminated string")
    }

    /// The slow path for strings with escapes: the full parser, over this string alone.
    private mutating func escapedString() throws(JSONSyntaxError) -> String {
        var index = position + 1
        while index < end {
            if bytes[index] == UInt8(ascii: "\\") { index += 2; continue }
            if bytes[index] == UInt8(ascii: "\"") { break }
            index += 1
        }
        guard index < end else { throw fail("unterminated string") }
        var parser = JSONParser(UnsafeRawBufferPointer(rebasing: bytes[position...index]), canonical: true, buildTree: true)
        let value: JSONValue
        do { value = try parser.parseDocument() } catch { throw JSONSyntaxError(offset: position + error.offset, reason: error.reason) }
        guard case .string(let text) = value else { throw fail("expected a string") }
        position = index + 1
        return text
    }

    mutating func integer() throws(JSONSyntaxError) -> Int64 {
        var negative = false
        if position < end && bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        let start = position
        var value: Int64 = 0
        while position < end {
            let digit = bytes[position] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times10.addingReportingOverflow(Int64(digit))
            guard !overflow1 && !overflow2 else { throw fail("integer out of range") }
            value = next
            position += 1
        }
        guard position > start else { throw fail("expected an integer") }
        return negative ? -value : value
    }

    /// Skips one JSON object (canonical, so no whitespace) and returns its byte range.
    mutating func objectExtent() throws(JSONSyntaxError) -> Range<Int> {
        guard position < end, bytes[position] == UInt8(ascii: "{") else { throw fail("expected a payload object") }
        let start = position
        var depth = 0
        var inString = false
        while position < end {
            let byte = bytes[position]
            position += 1
            if inString {
                if byte == UInt8(ascii: "\\") { position += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return start..<position }
            default: break
            }
        }
        throw fail("unterminated payload object")
    }
}
