#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The canonical JSON envelope of one record, and its fast decoder.
///
/// Keys in byte order: causation, correlation, id, payload, schema, seq, stream, stream_version,
/// ts, type. The optional ids are left out when absent.
package enum RecordCodec {
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

    static func encode<Payload: Collection>(
        sequence: UInt64, streamVersion: UInt64, id: String, type: String, schemaVersion: Int, stream: String,
        timestampMs: Int64, correlationId: String?, causationId: String?, payload: Payload,
        into writer: inout CanonicalJSONWriter
    ) where Payload.Element == UInt8 {
        var bound = 200 + payload.count + RawCursor.stringBound(id) + RawCursor.stringBound(type) + RawCursor.stringBound(stream)
        if let correlationId { bound += RawCursor.stringBound(correlationId) + 16 }
        if let causationId { bound += RawCursor.stringBound(causationId) + 16 }
        writer.withReserved(bound) { out in
            out.put("{")
            if let causationId {
                out.put("\"causation\":")
                out.putString(causationId)
                out.put(",")
            }
            if let correlationId {
                out.put("\"correlation\":")
                out.putString(correlationId)
                out.put(",")
            }
            out.put("\"id\":")
            out.putString(id)
            out.put(",\"payload\":")
            let copied: Void? = payload.withContiguousStorageIfAvailable { out.put(UnsafeRawBufferPointer($0)) }
            if copied == nil { Array(payload).withUnsafeBytes { out.put($0) } }
            out.put(",\"schema\":")
            out.putInt(Int64(schemaVersion))
            out.put(",\"seq\":")
            out.putDigits(sequence)
            out.put(",\"stream\":")
            out.putString(stream)
            out.put(",\"stream_version\":")
            out.putDigits(streamVersion)
            out.put(",\"ts\":")
            out.putInt(timestampMs)
            out.put(",\"type\":")
            out.putString(type)
            out.put("}")
        }
    }

    /// Decodes one canonical record line `buffer[range]` (no newline). The payload is a slice of `buffer`.
    public static func decode(_ buffer: [UInt8], _ range: Range<Int>) throws(JSONSyntaxError) -> LogRecord {
        try buffer.withBytes { (raw) throws(JSONSyntaxError) in try decode(raw, range, buffer) }
    }

    /// Decodes with `raw` being `buffer`'s bytes: the fast path first, the full parser when the
    /// fast path declines (escapes in the tail, or anything unexpected).
    static func decode(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>, _ buffer: [UInt8]) throws(JSONSyntaxError) -> LogRecord {
        var names = NameCache()
        return try decode(raw, range, buffer, names: &names)
    }

    /// Decodes, taking type and stream strings from `names` when they were met before.
    static func decode(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>, _ buffer: [UInt8], names: inout NameCache) throws(JSONSyntaxError) -> LogRecord {
        let fast = decodeFast(raw, range, buffer, names: &names)
        switch consume fast {
        case .some(let record): return record
        case .none: return try decodeFull(raw, range, buffer)
        }
    }

    /// Reads the envelope's tail backwards from the end of the line, so that the payload between
    /// `"payload":` and `,"schema":` is never scanned. Returns nil to hand over to the full parser.
    private static func decodeFast(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>, _ buffer: [UInt8], names: inout NameCache) -> LogRecord? {
        guard let envelope = parse(raw, range) else { return nil }
        return record(envelope, raw, buffer, names: &names)
    }

    /// Locates a record line's pieces and reads its numbers, making no strings (nil when the line
    /// needs the full parser: escapes, or anything unexpected).
    static func parse(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>) -> ParsedEnvelope? {
        let base = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var tail = TailCursor(base: base, start: range.lowerBound, position: range.upperBound)
        guard tail.expect("}"),
              let type = tail.plainSpan(), tail.expect(",\"type\":"),
              let timestamp = tail.integer(), tail.expect(",\"ts\":"),
              let streamVersion = tail.integer(), tail.expect(",\"stream_version\":"),
              let stream = tail.plainSpan(), tail.expect(",\"stream\":"),
              let sequence = tail.integer(), tail.expect(",\"seq\":"),
              let schema = tail.integer(), tail.expect(",\"schema\":")
        else { return nil }
        let payloadEnd = tail.position
        var head = RecordCursor(bytes: raw, position: range.lowerBound, end: payloadEnd)
        guard let (causation, correlation, id) = head.plainEnvelopeHead() else { return nil }
        let payloadStart = head.position
        guard payloadStart < payloadEnd, base[payloadStart] == 0x7B, base[payloadEnd - 1] == 0x7D,
              sequence >= 1, streamVersion >= 1, schema >= 1, schema <= Int64(Int32.max)
        else { return nil }
        return ParsedEnvelope(
            sequence: UInt64(sequence), streamVersion: UInt64(streamVersion), timestampMs: timestamp, schema: Int32(schema),
            id: id, type: type, stream: stream, payload: Span(payloadStart..<payloadEnd), correlation: correlation, causation: causation)
    }

    /// Makes the record of a parsed line of `buffer` (whose bytes `raw` are).
    static func record(_ envelope: ParsedEnvelope, _ raw: UnsafeRawBufferPointer, _ buffer: [UInt8], names: inout NameCache) -> LogRecord {
        let base = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
        func string(_ span: Span) -> String {
            String(decoding: UnsafeBufferPointer(start: base + span.start, count: span.count), as: UTF8.self)
        }
        return LogRecord(
            sequence: envelope.sequence, id: string(envelope.id),
            type: names.name(base + envelope.type.start, count: envelope.type.count),
            schemaVersion: Int(envelope.schema),
            stream: names.name(base + envelope.stream.start, count: envelope.stream.count),
            streamVersion: envelope.streamVersion, timestampMs: envelope.timestampMs,
            correlationId: envelope.correlation.map(string), causationId: envelope.causation.map(string),
            payload: buffer[envelope.payload.range])
    }

    private static func decodeFull(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>, _ buffer: [UInt8]) throws(JSONSyntaxError) -> LogRecord {
        do {
            var cursor = RecordCursor(bytes: raw, position: range.lowerBound, end: range.upperBound)
            let (causation, correlation, id) = try cursor.envelopeHead()
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

/// A record line's envelope located and its numbers read, with no strings made yet: work a helper
/// thread can do ahead of the thread that makes the records.
struct ParsedEnvelope {
    var sequence: UInt64
    var streamVersion: UInt64
    var timestampMs: Int64
    var schema: Int32
    var id: Span
    var type: Span
    var stream: Span
    var payload: Span
    var correlation: Span?
    var causation: Span?
}

/// A range of a record line's buffer.
struct Span {
    let start: Int
    let count: Int

    init(_ range: Range<Int>) {
        start = range.lowerBound
        count = range.count
    }

    var range: Range<Int> { start..<(start + count) }
}

/// Compares bytes with a short literal a machine word at a time (no call into `memcmp`).
enum ShortText {
    @inline(__always)
    static func equal(_ pointer: UnsafePointer<UInt8>, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        let expected = UnsafeRawPointer(text.utf8Start)
        let actual = UnsafeRawPointer(pointer)
        if count >= 8 {
            var offset = 0
            while offset + 8 < count {
                guard actual.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == expected.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
                offset += 8
            }
            return actual.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == expected.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        for offset in 0..<count where pointer[offset] != text.utf8Start[offset] { return false }
        return true
    }
}

/// Reads canonical envelope pieces backwards from the end of a record line.
private struct TailCursor {
    let base: UnsafePointer<UInt8>
    let start: Int
    var position: Int

    /// Expects `text` to end at the position, and moves before it.
    @inline(__always)
    mutating func expect(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard position - count >= start, ShortText.equal(base + position - count, text) else { return false }
        position -= count
        return true
    }

    /// The contents of a string without escapes ending at the position (nil if it has any: the
    /// full parser decides).
    mutating func plainSpan() -> Span? {
        guard position &- 2 >= start, base[position &- 1] == 0x22 else { return nil }
        let end = position &- 1
        guard let open = ByteScan.lastStop(base, from: start, to: end), base[open] == 0x22 else { return nil }
        position = open
        return Span((open &+ 1)..<end)
    }

    /// An integer ending at the position.
    mutating func integer() -> Int64? {
        let end = position
        var index = end &- 1
        while index >= start, base[index] &- 0x30 < 10 { index &-= 1 }
        let digitsStart = index &+ 1
        let digits = end &- digitsStart
        guard digits >= 1, digits <= 18 else { return nil }
        var value: Int64 = 0
        for offset in digitsStart..<end { value = value &* 10 &+ Int64(base[offset] &- 0x30) }
        if index >= start, base[index] == 0x2D {
            position = index
            return -value
        }
        position = digitsStart
        return value
    }
}

/// A forward-only reader over canonical record bytes.
private struct RecordCursor {
    let bytes: UnsafeRawBufferPointer
    var position: Int
    let end: Int

    func fail(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: position, reason: reason) }

    @inline(__always)
    func startsWith(_ text: StaticString) -> Bool {
        guard position + text.utf8CodeUnitCount <= end else { return false }
        return ShortText.equal(bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + position, text)
    }

    mutating func skip(_ text: StaticString) { position += text.utf8CodeUnitCount }

    /// Reads `{`, the optional causation and correlation ids and the id, up to the payload.
    mutating func envelopeHead() throws(JSONSyntaxError) -> (causation: String?, correlation: String?, id: String) {
        try expect("{")
        var causation: String?
        var correlation: String?
        if startsWith("\"causation\":") {
            skip("\"causation\":")
            causation = try string()
            try expect(",")
        }
        if startsWith("\"correlation\":") {
            skip("\"correlation\":")
            correlation = try string()
            try expect(",")
        }
        try expect("\"id\":")
        let id = try string()
        try expect(",\"payload\":")
        return (causation, correlation, id)
    }

    /// `envelopeHead` for plain strings only, giving where they are (nil for anything else).
    mutating func plainEnvelopeHead() -> (causation: Span?, correlation: Span?, id: Span)? {
        guard startsWith("{") else { return nil }
        skip("{")
        var causation: Span?
        var correlation: Span?
        if startsWith("\"causation\":") {
            skip("\"causation\":")
            guard let span = plainString(), startsWith(",") else { return nil }
            skip(",")
            causation = span
        }
        if startsWith("\"correlation\":") {
            skip("\"correlation\":")
            guard let span = plainString(), startsWith(",") else { return nil }
            skip(",")
            correlation = span
        }
        guard startsWith("\"id\":") else { return nil }
        skip("\"id\":")
        guard let id = plainString(), startsWith(",\"payload\":") else { return nil }
        skip(",\"payload\":")
        return (causation, correlation, id)
    }

    /// Where a string without escapes or control bytes lies (nil for any other).
    private mutating func plainString() -> Span? {
        guard position < end, bytes[position] == 0x22 else { return nil }
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let start = position &+ 1
        let stop = ByteScan.firstStop(base, from: start, to: end)
        guard stop < end, base[stop] == 0x22 else { return nil }
        position = stop &+ 1
        return Span(start..<stop)
    }

    mutating func expect(_ text: StaticString) throws(JSONSyntaxError) {
        guard startsWith(text) else { throw fail("expected \(text) in the record envelope") }
        skip(text)
    }

    mutating func string() throws(JSONSyntaxError) -> String {
        guard position < end, bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a string") }
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let start = position &+ 1
        let stop = ByteScan.firstStop(base, from: start, to: end)
        guard stop < end else { throw fail("unterminated string") }
        // A backslash or a control byte: the full parser reads (or refuses) this string.
        guard base[stop] == 0x22 else { return try escapedString() }
        position = stop &+ 1
        return String(decoding: UnsafeBufferPointer(start: base + start, count: stop &- start), as: UTF8.self)
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
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var index = position
        var negative = false
        if index < end && base[index] == 0x2D {
            negative = true
            index &+= 1
        }
        let start = index
        var value: UInt64 = 0
        while index < end {
            let digit = base[index] &- 0x30
            guard digit < 10 else { break }
            value = value &* 10 &+ UInt64(digit)
            index &+= 1
        }
        position = index
        guard index > start, index &- start <= 18 || (index &- start == 19 && value <= UInt64(Int64.max)) else {
            throw fail(index == start ? "expected an integer" : "integer out of range")
        }
        return negative ? -Int64(value) : Int64(value)
    }

    /// Skips one JSON object (canonical, so no whitespace) and returns its byte range.
    mutating func objectExtent() throws(JSONSyntaxError) -> Range<Int> {
        guard position < end, bytes[position] == UInt8(ascii: "{") else { throw fail("expected a payload object") }
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let start = position
        var index = position
        var depth = 0
        while index < end {
            let byte = base[index]
            index += 1
            if byte == 0x22 {  // a string: skip to its closing quote
                while index < end {
                    let inner = base[index]
                    index += 1
                    if inner == 0x5C { index += 1 } else if inner == 0x22 { break }
                }
            } else if byte == 0x7B || byte == 0x5B {
                depth += 1
            } else if byte == 0x7D || byte == 0x5D {
                depth -= 1
                if depth == 0 {
                    position = index
                    return start..<index
                }
            }
        }
        throw fail("unterminated payload object")
    }
}

extension RecordCodec {
    /// A draft's canonical record in three parts around the two numbers only its place in the log
    /// decides — the bytes before the sequence's digits, those between them and the stream
    /// version's, and those after — so that whoever assigns the place can join them: the record
    /// at `s` and `v` is `head + digits(s) + middle + digits(v) + tail`.
    public static func encodeAroundPlace(_ draft: EventDraft) -> (head: ArraySlice<UInt8>, middle: ArraySlice<UInt8>, tail: ArraySlice<UInt8>) {
        var writer = CanonicalJSONWriter()
        encode(draft, sequence: 0, streamVersion: 0, into: &writer)
        let bytes = writer.bytes
        // Both marks hold quotes, so neither occurs inside a string; the payload, the only JSON
        // that could hold them as keys, comes before both; so their last occurrences are the
        // envelope's own.
        let sequence = lastOccurrence(of: sequenceMark, in: bytes) + sequenceMark.count - ",\"stream\":".utf8.count - 1
        let version = lastOccurrence(of: versionMark, in: bytes) + versionMark.count - ",\"ts\":".utf8.count - 1
        return (bytes[..<sequence], bytes[(sequence + 1)..<version], bytes[(version + 1)...])
    }

    private static let sequenceMark = Array(",\"seq\":0,\"stream\":".utf8)
    private static let versionMark = Array(",\"stream_version\":0,\"ts\":".utf8)

    private static func lastOccurrence(of mark: [UInt8], in bytes: [UInt8]) -> Int {
        var start = bytes.count - mark.count
        while start >= 0 {
            if bytes[start] == mark[0], bytes[start..<(start + mark.count)].elementsEqual(mark) { return start }
            start -= 1
        }
        preconditionFailure("a record encoded at sequence 0 holds \(String(decoding: mark, as: UTF8.self))")
    }
}
