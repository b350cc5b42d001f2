import Foundation
import Testing
@testable import LedgerLog

@Suite("Recovery and repair", .timeLimit(.minutes(5)))
struct RecoveryTests {
    /// A closed log of `count` ticks in several batches; returns its records.
    static func makeLog(_ path: String, count: Int = 600, batch: Int = 50, segmentBytes: Int = 64 << 10) throws -> [LogRecord] {
        let log = try FileLog.openForTest(path, segmentBytes: segmentBytes)
        let drafts = Drafts.ticks(count, streams: 4)
        for chunk in stride(from: 0, to: count, by: batch) { try log.append(Array(drafts[chunk..<min(chunk + batch, count)])) }
        try log.close()
        return try LogReader(directory: path).read()
    }

    static func lastSegment(_ path: String) throws -> Segment { try Segment.list(in: path).last! }

    static func append(_ bytes: [UInt8], to file: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        handle.seekToEndOfFile()
        handle.write(Data(bytes))
        try handle.close()
    }

    @Test("a torn tail is cut on open, its bytes moved to quarantine intact, and every earlier event kept")
    func tornTailIsQuarantined() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let records = try Self.makeLog(directory.path)
        let segment = try Self.lastSegment(directory.path)
        let goodSize = try FileManager.default.attributesOfItem(atPath: segment.path)[.size] as! Int
        // Half a batch: a header whose frame the file ends inside of.
        let torn = BatchHeader(firstSequence: 601, recordCount: 3, uncompressedBytes: 500, compressedBytes: 400,
                               compressedCRC: 1, chain: .genesis, lastTimestampMs: 0).encodedFrame() + [1, 2, 3]
        try Self.append(torn, to: segment.path)

        let verify = LogVerifier.verify(directory: directory.path)
        #expect(verify.ok && verify.problem == nil, "a torn tail is not damage")
        #expect(verify.tornTail?.offset == goodSize && verify.tornTail?.bytes == torn.count)

        let log = try FileLog.openForTest(directory.path)
        #expect(log.recovery.cutBytes == torn.count)
        #expect(log.recovery.cutOffset == goodSize)
        let quarantined = try Data(contentsOf: URL(fileURLWithPath: try #require(log.recovery.quarantineFile)))
        #expect(Array(quarantined) == torn)
        #expect(try log.read() == records)
        try log.append([Drafts.tick(9_999, prefix: "after")])
        try log.close()
        #expect(LogVerifier.verify(directory: directory.path).ok)
    }

    @Test("a last batch whose bytes are garbage (a write that never reached the disk) is cut, not kept")
    func unwrittenLastBatchIsCut() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let records = try Self.makeLog(directory.path)
        let segment = try Self.lastSegment(directory.path)
        let reader = try LogReader(directory: directory.path)
        let lastOffset = Int(reader.segmentLayouts.last!.batches.last!.offset)
        // Zero the compressed bytes of the last batch, as a crash before the data pages were written would.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: segment.path))
        try handle.seek(toOffset: UInt64(lastOffset + BatchHeader.frameBytes))
        handle.write(Data(repeating: 0, count: 40))
        try handle.close()

        let log = try FileLog.openForTest(directory.path)
        defer { try? log.close() }
        #expect(log.recovery.cutOffset == lastOffset)
        let kept = try log.read()
        #expect(kept == Array(records.prefix(kept.count)))
        #expect(kept.count == 550)
    }

    @Test("damage before the tail is not cut on open: it is an error naming file, offset and sequence")
    func damageInsideRefusesToOpen() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        _ = try Self.makeLog(directory.path)
        let segment = try Self.lastSegment(directory.path)
        let reader = try LogReader(directory: directory.path)
        let target = reader.segmentLayouts.last!.batches[2]
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: segment.path))
        try handle.seek(toOffset: target.offset + UInt64(BatchHeader.frameBytes) + 10)
        handle.write(Data([0xFF, 0xEE]))
        try handle.close()

        guard case .corrupt(let file, let offset, let sequence, _)? = logError({ _ = try FileLog.openForTest(directory.path) }) else {
            Issue.record("expected the open to refuse a damaged log")
            return
        }
        #expect(file == segment.path)
        #expect(offset == Int(target.offset))
        #expect(sequence == target.firstSequence)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/quarantine"))
    }

    @Test("repair keeps everything before the damage and quarantines the rest, later segments included")
    func repairKeepsThePrefix() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let records = try Self.makeLog(directory.path, count: 1_000, segmentBytes: 8 << 10)
        let segments = try Segment.list(in: directory.path)
        try #require(segments.count >= 3)
        let reader = try LogReader(directory: directory.path)
        let layout = reader.segmentLayouts[1]
        let target = layout.batches[1]
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: layout.segment.path))
        try handle.seek(toOffset: target.offset + UInt64(BatchHeader.frameBytes) + 5)
        handle.write(Data([0x00, 0x11, 0x22]))
        try handle.close()
        let before = LogVerifier.verify(directory: directory.path)
        #expect(before.problem?.sequence == target.firstSequence)

        let report = try FileLog.repair(directory: directory.path)
        #expect(report.keptThrough == target.firstSequence - 1)
        #expect(report.quarantined.count == segments.count - 1)
        let after = LogVerifier.verify(directory: directory.path)
        #expect(after.ok)
        #expect(after.head.sequence == target.firstSequence - 1)
        #expect(try LogReader(directory: directory.path).read() == Array(records.prefix(Int(target.firstSequence - 1))))
        let log = try FileLog.openForTest(directory.path)
        try log.append([Drafts.tick(5_000, prefix: "after-repair")])
        try log.close()
        #expect(LogVerifier.verify(directory: directory.path).ok)
    }

    @Test("a segment whose creation was interrupted is quarantined and the log continues")
    func tornSegmentCreation() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let records = try Self.makeLog(directory.path)
        let next = Segment(directory: directory.path, firstSequence: 601)
        try Data(SegmentHeader(firstSequence: 601, previousChain: .genesis).encodedFrame().prefix(30))
            .write(to: URL(fileURLWithPath: next.path))
        let log = try FileLog.openForTest(directory.path)
        #expect(log.recovery.cutBytes == 30)
        #expect(try log.read() == records)
        try log.append([Drafts.tick(7_000, prefix: "x")])
        try log.close()
        #expect(LogVerifier.verify(directory: directory.path).ok)
    }

    @Test("a log of a newer format version is refused with the version named")
    func newerFormatRefused() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        _ = try Self.makeLog(directory.path, count: 10, batch: 10)
        let segment = try Self.lastSegment(directory.path)
        var header = SegmentHeader(firstSequence: 1, previousChain: .genesis)
        header.formatVersion = 9
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: segment.path))
        handle.write(Data(header.encodedFrame()))
        try handle.close()
        #expect(logError { _ = try LogReader(directory: directory.path) } == .unsupportedFormat(file: segment.path, offset: 0, version: 9))
        #expect(logError { _ = try FileLog.openForTest(directory.path) } == .unsupportedFormat(file: segment.path, offset: 0, version: 9))
    }
}
