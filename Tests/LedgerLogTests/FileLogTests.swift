import Foundation
import Testing
@testable import LedgerLog

@Suite("File log", .timeLimit(.minutes(5)))
struct FileLogTests {
    @Test("reopening keeps the head, the hash chain, stream versions and idempotency")
    func reopenKeepsState() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        var log = try FileLog.openForTest(directory.path)
        let drafts = Drafts.ticks(500, streams: 6)
        for chunk in stride(from: 0, to: 500, by: 50) { try log.append(Array(drafts[chunk..<(chunk + 50)])) }
        let head = log.head
        let versions = try Set(drafts.map(\.stream)).map { ($0, try log.streamVersion($0)) }
        try log.close()

        log = try FileLog.openForTest(directory.path)
        defer { try? log.close() }
        #expect(log.head == head)
        for (stream, version) in versions { #expect(try log.streamVersion(stream) == version) }
        #expect(try log.append(Array(drafts[450..<500])).written == false)
        try log.append([Drafts.tick(1, stream: "market.S0", prefix: "after")], expecting: .exactly(versions.first { $0.0 == "market.S0" }!.1), on: "market.S0")
        #expect(log.head.sequence == 501)
    }

    @Test("segments rotate at the size limit and reads cross them", arguments: [FsyncPolicy.always, .batchDefault, .none])
    func rotation(policy: FsyncPolicy) throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let log = try FileLog.openForTest(directory.path, segmentBytes: 8 << 10, fsync: policy)
        let drafts = Drafts.ticks(2_000, streams: 3)
        for chunk in stride(from: 0, to: 2_000, by: 100) { try log.append(Array(drafts[chunk..<(chunk + 100)])) }
        try log.close()
        let reader = try LogReader(directory: directory.path)
        #expect(reader.segmentCount > 3)
        #expect(try reader.read(from: 1_234, limit: 2).map(\.id) == ["t-1233", "t-1234"])
        #expect(try reader.read().count == 2_000)
        let report = LogVerifier.verify(directory: directory.path)
        #expect(report.ok)
        #expect(report.head == reader.head)
    }

    @Test("the writer state is the same whether it comes from the checkpoint or from a full scan")
    func checkpointEqualsScan() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        var log = try FileLog.openForTest(directory.path, segmentBytes: 8 << 10)
        let drafts = Drafts.ticks(1_500, streams: 9)
        for chunk in stride(from: 0, to: 1_500, by: 100) { try log.append(Array(drafts[chunk..<(chunk + 100)])) }
        try log.close()
        log = try FileLog.openForTest(directory.path)
        #expect(log.recovery.usedCheckpoint)
        let fromCheckpoint = try (0..<9).map { try log.streamVersion("market.S\($0)") }
        try log.close()
        try FileManager.default.removeItem(atPath: directory.path + "/" + WriterCheckpoint.fileName)
        log = try FileLog.openForTest(directory.path)
        defer { try? log.close() }
        #expect(!log.recovery.usedCheckpoint)
        #expect(try (0..<9).map { try log.streamVersion("market.S\($0)") } == fromCheckpoint)
    }

    @Test("a checkpoint that does not match the log is ignored, not trusted")
    func staleCheckpointIgnored() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        var log = try FileLog.openForTest(directory.path)
        try log.append(Drafts.ticks(50))
        try log.close()
        try WriterCheckpoint(sequence: 50, chain: .genesis, streams: ["market.S0": 999]).write(directory: directory.path)
        log = try FileLog.openForTest(directory.path)
        defer { try? log.close() }
        #expect(!log.recovery.usedCheckpoint)
        #expect(try log.streamVersion("market.S0") < 999)
    }

    @Test("lost or damaged index files are rebuilt from the segments")
    func indexRebuilt() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let log = try FileLog.openForTest(directory.path, segmentBytes: 8 << 10)
        let drafts = Drafts.ticks(1_000)
        for chunk in stride(from: 0, to: 1_000, by: 100) { try log.append(Array(drafts[chunk..<(chunk + 100)])) }
        try log.close()
        let segments = try Segment.list(in: directory.path)
        try #require(segments.count >= 2)
        try FileManager.default.removeItem(atPath: segments[0].indexPath)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: segments[1].indexPath))
        let reader = try LogReader(directory: directory.path)
        #expect(try reader.read(from: 1).count == 1_000)
        #expect(try reader.read(from: 777, limit: 1).first?.id == "t-776")
        // The next writer writes both index files anew, whole: 24 bytes an entry, one per batch.
        try FileLog.openForTest(directory.path, segmentBytes: 8 << 10).close()
        for segment in segments.prefix(2) {
            let index = try #require(FileManager.default.contents(atPath: segment.indexPath), "\(segment.name) has its index again")
            #expect(index.count > 3 && index.count % 24 == 0, "\(segment.name): \(index.count) bytes")
        }
    }

    @Test("a second writer is refused with a clear error naming the holder; readers are not")
    func oneWriterAtATime() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let log = try FileLog.openForTest(directory.path)
        try log.append(Drafts.ticks(10))
        guard case .locked(_, let holder)? = logError({ _ = try FileLog.openForTest(directory.path) }) else {
            Issue.record("expected the second writer to be refused")
            return
        }
        #expect(holder.contains("pid \(getpid())"))
        #expect(try LogReader(directory: directory.path).read().count == 10)
        try log.close()
        let again = try FileLog.openForTest(directory.path)
        try again.close()
    }

    @Test("readers see complete batches while the writer keeps appending")
    func readersDuringAppends() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let log = try FileLog.openForTest(directory.path, segmentBytes: 16 << 10)
        let reader = try LogReader(directory: directory.path)
        let drafts = Drafts.ticks(3_000, streams: 4)
        var lastSeen: UInt64 = 0
        for chunk in stride(from: 0, to: 3_000, by: 100) {
            try log.append(Array(drafts[chunk..<(chunk + 100)]))
            try reader.refresh()
            let records = try reader.read(from: lastSeen + 1)
            #expect(records.first?.sequence == lastSeen + 1)
            #expect(records.map(\.id) == records.map { "t-\($0.sequence - 1)" })
            lastSeen = records.last?.sequence ?? lastSeen
        }
        #expect(lastSeen == 3_000)
        try log.close()
    }

    @Test("an append larger than one batch is refused whole")
    func appendTooLarge() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let log = try FileLog.openForTest(directory.path)
        defer { try? log.close() }
        let drafts = (0...LogLimits.batchRecordsMax).map { Drafts.tick($0) }
        guard case .appendTooLarge? = logError({ try log.append(drafts) }) else {
            Issue.record("expected appendTooLarge")
            return
        }
        #expect(log.head.sequence == 0)
    }

    @Test("appendAll writes a long run in appends of a chunk each and returns when all is durable")
    func appendAll() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let log = try FileLog.openForTest(directory.path, fsync: .batchDefault)
        let drafts = Drafts.ticks(10_001)
        #expect(try log.appendAll(drafts, chunk: 1_000) == 10_001)
        #expect(log.head.sequence == 10_001)
        #expect(try log.appendAll([EventDraft]()) == 10_001)
        try log.close()
        #expect(try LogReader(directory: directory.path).read().map(\.id) == drafts.map(\.id))
    }

    @Test("appendInBatches makes a batch of each chunk, so the same drafts give the same chain however the writer keeps up")
    func appendInBatches() throws {
        let drafts = Drafts.ticks(10_001)
        var heads: [LogHead] = []
        for _ in 0..<2 {
            let directory = TemporaryDirectory()
            defer { directory.cleanup() }
            let log = try FileLog.openForTest(directory.path, fsync: .batchDefault)
            #expect(try log.appendInBatches(drafts, chunk: 1_000) == 10_001)
            heads.append(log.head)
            try log.close()
            let report = LogVerifier.verify(directory: directory.path)
            #expect(report.ok && report.batches == 11, "a batch per chunk of 1,000")
        }
        #expect(heads[0] == heads[1])
    }

    @Test("durability callbacks report every acknowledged sequence in order")
    func durableCallbacks() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let seen = Mutex<[UInt64]>([])
        let log = try FileLog.open(directory: directory.path, options: FileLogOptions(fsync: .batchDefault) { sequence in
            seen.withLock { $0.append(sequence) }
        })
        var last: UInt64 = 0
        for chunk in 0..<20 { last = try log.submit(Drafts.ticks(100, prefix: "c\(chunk)")).lastSequence }
        try log.waitUntilDurable(last)
        try log.close()
        let sequences = seen.withLock { $0 }
        #expect(sequences.last == 2_000)
        #expect(sequences == sequences.sorted())
    }
}

/// A tiny lock-protected box for test callbacks.
final class Mutex<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

@Suite("Appends near the batch size limit", .timeLimit(.minutes(5)))
struct BatchBoundTests {
    @Test("an append counted by its worst-case encoding: escaped names that would overflow a batch are refused, nothing written; halves go in whole")
    func escapedNamesCount() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        // Quotes take two bytes each once encoded: 16,000 records whose names hold 750 quotes
        // encode to about 27 MB, more than the 16 MiB a batch may hold.
        let quotes = String(repeating: "\"", count: 250)
        let drafts = (0..<16_000).map { index in
            EventDraft(id: "\(index)" + quotes, type: "test.event", stream: "s" + quotes, timestampMs: Int64(index),
                       correlationId: quotes, payload: Drafts.payload([("n", Int64(index))]))
        }
        let log = try FileLog.openForTest(directory.path, segmentBytes: 64 << 20)
        guard case .appendTooLarge(let refused, let bytes)? = logError({ try log.append(drafts) }) else {
            Issue.record("an append that cannot fit one batch must be refused")
            return
        }
        #expect(refused == 16_000 && bytes > LogLimits.batchBytesMax)
        #expect(log.head.sequence == 0)
        try log.append(Array(drafts[..<8_000]))
        try log.append(Array(drafts[8_000...]))
        try log.close()
        let reader = try LogReader(directory: directory.path)
        #expect(reader.batchCount == 2)
        let records = try reader.read()
        #expect(records.map(\.id) == drafts.map(\.id))
        #expect(LogVerifier.verify(directory: directory.path).ok)
    }

    @Test("the envelope bound holds for the longest numbers an envelope can carry")
    func envelopeBound() {
        let draft = EventDraft(id: "i", type: "t", schemaVersion: Int(Int32.max), stream: "s", timestampMs: Int64.min,
                               correlationId: "c", causationId: "d", payload: Array("{}".utf8))
        let record = LogRecord(sequence: UInt64.max, streamVersion: UInt64.max, draft: draft)
        let names = draft.id.utf8.count + draft.type.utf8.count + draft.stream.utf8.count + 2
        #expect(record.canonicalBytes.count + 1 <= draft.payload.count + names + LogLimits.envelopeBytesMax)
    }
}
