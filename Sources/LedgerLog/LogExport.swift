#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The export file: JSON Lines that keep the log's batch boundaries, so that an import rebuilds
/// the very same hash chain.
///
///     {"events":N,"format":"clash-log-export","head":"<hex>","version":1}
///     {"batch":{"chain":"<hex>","count":K,"first":S}}
///     <K canonical record lines>
///     ...
public enum LogExport {
    public static let format = "clash-log-export"
    public static let version = 1

    /// Writes the whole log to `path`. Returns the head it exported.
    @discardableResult
    public static func export(directory: String, to path: String) throws -> LogHead {
        let reader = try LogReader(directory: directory)
        return try export(head: reader.head, to: path) { body in
            try reader.forEachBatch(from: 1) { batch in
                try body(ExportBatch(first: batch.header.firstSequence, count: Int(batch.header.recordCount), chain: batch.header.chain, lines: batch.bytes))
            }
        }
    }

    /// One batch as an export holds it: its first sequence, record count, chain value and its
    /// canonical lines, each ended by a newline.
    public struct ExportBatch {
        public var first: UInt64
        public var count: Int
        public var chain: ChainHash
        public var lines: [UInt8]

        public init(first: UInt64, count: Int, chain: ChainHash, lines: [UInt8]) {
            self.first = first
            self.count = count
            self.chain = chain
            self.lines = lines
        }
        var last: UInt64 { first + UInt64(count) - 1 }
    }

    /// Writes the log of any store to `path`, given its head and its batches in order (`batches`
    /// calls its argument with each, until it returns false).
    @discardableResult
    public static func export(head: LogHead, to path: String, batches: ((ExportBatch) throws -> Bool) throws -> Void) throws -> LogHead {
        let file = try PosixFile(path: path, flags: O_WRONLY | O_CREAT | O_TRUNC)
        var offset = 0
        var line = CanonicalJSONWriter()
        line.beginObject()
        line.key("events"); line.uint(head.sequence)
        line.key("format"); line.string(format)
        line.key("head"); line.string(head.chain.hex)
        line.key("version"); line.int(version)
        line.endObject()
        line.newline()
        try file.write(line.bytes, at: offset)
        offset += line.bytes.count
        try batches { batch in
            guard batch.last <= head.sequence else { return false }
            line.reset()
            line.beginObject()
            line.key("batch")
            line.beginObject()
            line.key("chain"); line.string(batch.chain.hex)
            line.key("count"); line.uint(UInt64(batch.count))
            line.key("first"); line.uint(batch.first)
            line.endObject()
            line.endObject()
            line.newline()
            try file.write(line.bytes, at: offset)
            offset += line.bytes.count
            try file.write(batch.lines, at: offset)
            offset += batch.lines.count
            return batch.last < head.sequence
        }
        try file.sync()
        return head
    }

    /// Imports an export file into an empty data directory. The whole file is checked first
    /// (every record canonical, sequences and stream versions continuous, every batch's chain
    /// value and the final head as stated); only then is anything written.
    @discardableResult
    public static func importLog(from path: String, into directory: String) throws -> LogHead {
        if !(try Segment.list(in: directory)).isEmpty { throw LogError.notEmpty(directory: directory) }
        let bytes = try FileSystem.readWhole(path)
        let batches = try parse(bytes, file: path)
        try FileSystem.createDirectory(directory)
        let lock = try WriterLock(directory: directory)
        defer { lock.release() }
        if !(try Segment.list(in: directory)).isEmpty { throw LogError.notEmpty(directory: directory) }
        let first = try SegmentWriter.createSegment(directory: directory, firstSequence: 1, previousChain: .genesis, sync: true)
        let writer = try SegmentWriter(layout: try SegmentLayout(segment: first, useIndex: false), options: FileLogOptions())
        defer { writer.close() }
        for batch in batches.batches {
            try writer.write(batch.bytes, recordCount: batch.count, firstSequence: batch.first,
                             lastTimestampMs: batch.lastTimestampMs)
        }
        try writer.writeCheckpoint(streams: batches.streams)
        return LogHead(sequence: writer.lastSequence, chain: writer.chain)
    }

    /// Imports an export file into an empty store of any kind (the log on PostgreSQL, say): the
    /// whole file checked first, as for a directory, then each batch appended as one append, so the
    /// store holds the same batches, chain values and head; a batch whose chain value comes out
    /// otherwise stops the import with what was written named.
    @discardableResult
    public static func importLog(from path: String, into store: any LogStore) throws -> LogHead {
        guard try store.head.sequence == 0 else { throw LogError.badImport(file: path, line: 1, reason: "the store already holds a log; import into an empty one") }
        let bytes = try FileSystem.readWhole(path)
        let parsed = try parse(bytes, file: path)
        for batch in parsed.batches {
            var drafts: [EventDraft] = []
            drafts.reserveCapacity(batch.count)
            var start = 0
            for index in batch.bytes.indices where batch.bytes[index] == 0x0A {
                let record = try RecordCodec.decode(batch.bytes, start..<index)
                drafts.append(EventDraft(id: record.id, type: record.type, schemaVersion: record.schemaVersion, stream: record.stream,
                                         timestampMs: record.timestampMs, correlationId: record.correlationId, causationId: record.causationId,
                                         payload: Array(record.payload)))
                start = index + 1
            }
            let result = try store.append(drafts)
            let lastSequence = batch.first + UInt64(batch.count) - 1
            guard result.firstSequence == batch.first, result.lastSequence == lastSequence else {
                throw LogError.badImport(file: path, line: 1, reason: "the store placed batch \(batch.first)… at \(result.firstSequence)…")
            }
        }
        let head = try store.head
        guard head == parsed.head else {
            throw LogError.badImport(file: path, line: 1, reason: "the store's head \(head.chain.hex) differs from the file's \(parsed.head.chain.hex)")
        }
        return head
    }

    struct ParsedBatch {
        var first: UInt64
        var count: Int
        var bytes: [UInt8]
        var lastTimestampMs: Int64
    }

    static func parse(_ bytes: [UInt8], file: String) throws(LogError) -> (head: LogHead, batches: [ParsedBatch], streams: [String: UInt64]) {
        var lines: [Range<Int>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            lines.append(start..<index)
            start = index + 1
        }
        if start < bytes.count { lines.append(start..<bytes.count) }
        func fail(_ line: Int, _ reason: String) -> LogError { .badImport(file: file, line: line + 1, reason: reason) }
        func value(_ line: Int) throws(LogError) -> JSONValue {
            do { return try JSONValue.parse(bytes[lines[line]]) } catch { throw fail(line, "malformed JSON: \(error)") }
        }
        guard !lines.isEmpty else { throw fail(0, "the file is empty; produce it with `clash log export`") }
        let header = try value(0)
        guard header["format"] == .string(format), header["version"] == .integer(String(version)),
              case .string(let headHex)? = header["head"], let headChain = ChainHash(hex: headHex),
              case .integer(let eventsText)? = header["events"], let events = UInt64(eventsText)
        else { throw fail(0, "not a \(format) version \(version) header; produce the file with `clash log export`") }

        var state = WriterState(idempotencyWindow: 1)
        var chain = ChainHash.genesis
        var batches: [ParsedBatch] = []
        var lineIndex = 1
        while lineIndex < lines.count {
            let marker = try value(lineIndex)
            guard case .string(let chainHex)? = marker["batch"]?["chain"], let stated = ChainHash(hex: chainHex),
                  case .integer(let countText)? = marker["batch"]?["count"], let count = Int(countText), count >= 1,
                  count <= LogLimits.batchRecordsMax,
                  case .integer(let firstText)? = marker["batch"]?["first"], let first = UInt64(firstText)
            else { throw fail(lineIndex, "expected a batch line {\"batch\":{\"chain\",\"count\",\"first\"}}") }
            guard first == state.headSequence + 1 else { throw fail(lineIndex, "batch starts at sequence \(first), expected \(state.headSequence + 1)") }
            guard lineIndex + count < lines.count else { throw fail(lines.count - 1, "the file ends inside a batch of \(count) records") }
            var batch = ParsedBatch(first: first, count: count, bytes: [], lastTimestampMs: 0)
            for recordLine in (lineIndex + 1)...(lineIndex + count) {
                let range = lines[recordLine]
                let lineBytes = Array(bytes[range])
                let record: LogRecord
                do { record = try RecordCodec.decode(lineBytes, 0..<lineBytes.count) } catch {
                    throw fail(recordLine, "not a canonical record: \(error)")
                }
                guard record.canonicalBytes == lineBytes else { throw fail(recordLine, "record is not in canonical form") }
                guard record.sequence == state.headSequence + 1 else { throw fail(recordLine, "sequence \(record.sequence), expected \(state.headSequence + 1)") }
                let expectedVersion = (state.version(of: record.stream)) + 1
                guard record.streamVersion == expectedVersion else {
                    throw fail(recordLine, "stream \(record.stream) version \(record.streamVersion), expected \(expectedVersion)")
                }
                do { try CanonicalJSON.validateObject(Array(record.payload)) } catch {
                    throw fail(recordLine, "payload is not canonical JSON: \(error)")
                }
                state.applyStream(sequence: record.sequence, stream: record.stream, streamVersion: record.streamVersion)
                batch.bytes.append(contentsOf: lineBytes)
                batch.bytes.append(0x0A)
                batch.lastTimestampMs = record.timestampMs
            }
            chain = chain.next(batch.bytes)
            guard chain == stated else { throw fail(lineIndex, "the batch's records do not hash to its stated chain value: the file was altered") }
            batches.append(batch)
            lineIndex += count + 1
        }
        guard state.headSequence == events, chain == headChain else {
            throw fail(0, "the header states \(events) events and head \(headHex), the file holds \(state.headSequence) and \(chain.hex)")
        }
        return (LogHead(sequence: events, chain: chain), batches, state.streams)
    }
}
