import Foundation
import Testing
@testable import LedgerLog

@Suite("Corruption is always detected", .timeLimit(.minutes(5)))
struct CorruptionTests {
    @Test("a bit flip anywhere in a segment is detected by verify (as damage; in the last batch, as a torn tail whose whole frame fails its check), and reads never return wrong data")
    func bitFlips() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let records = try RecoveryTests.makeLog(directory.path, count: 400, batch: 40, segmentBytes: 1 << 20)
        let segment = try RecoveryTests.lastSegment(directory.path)
        let original = try Data(contentsOf: URL(fileURLWithPath: segment.path))
        var random = SeededRandom(seed: 42)
        for _ in 0..<150 {
            var damaged = original
            let offset = Int(random.next() % UInt64(original.count))
            damaged[offset] ^= UInt8(1 << (random.next() % 8))
            try damaged.write(to: URL(fileURLWithPath: segment.path))
            let report = LogVerifier.verify(directory: directory.path)
            #expect(!report.ok || report.tornTail?.cutShort == false, "a flip at byte \(offset) went undetected: \(String(describing: report.tornTail))")
            // Whatever a reader returns is a correct prefix of the log, or it throws.
            if let reader = try? LogReader(directory: directory.path) {
                var seen: [LogRecord] = []
                _ = try? reader.forEach(from: 1, filter: .all) { record in
                    seen.append(record)
                    return true
                }
                #expect(seen == Array(records.prefix(seen.count)), "a read returned wrong data after a flip at byte \(offset)")
            }
        }
        try original.write(to: URL(fileURLWithPath: segment.path))
        #expect(LogVerifier.verify(directory: directory.path).ok)
    }

    @Test("a truncation anywhere is detected by verify and recovered on open to a correct prefix")
    func truncations() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let records = try RecoveryTests.makeLog(directory.path, count: 300, batch: 30, segmentBytes: 1 << 20)
        let segment = try RecoveryTests.lastSegment(directory.path)
        let original = try Data(contentsOf: URL(fileURLWithPath: segment.path))
        var random = SeededRandom(seed: 9)
        for _ in 0..<40 {
            let length = SegmentHeader.frameBytes + Int(random.next() % UInt64(original.count - SegmentHeader.frameBytes))
            try original.prefix(length).write(to: URL(fileURLWithPath: segment.path))
            try? FileManager.default.removeItem(atPath: segment.indexPath)
            try? FileManager.default.removeItem(atPath: directory.path + "/quarantine")
            let report = LogVerifier.verify(directory: directory.path)
                        #expect(report.ok, "a truncation leaves a torn tail, which is not damage")
            let log = try FileLog.openForTest(directory.path)
            let kept = try log.read()
            try log.close()
            #expect(kept == Array(records.prefix(kept.count)))
            #expect(LogVerifier.verify(directory: directory.path).ok)
            try original.write(to: URL(fileURLWithPath: segment.path))
        }
    }

    @Test("swapping two batches' records with recomputed CRCs is caught by the hash chain")
    func tamperingBreaksTheChain() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        _ = try RecoveryTests.makeLog(directory.path, count: 100, batch: 10)
        let segment = try RecoveryTests.lastSegment(directory.path)
        let reader = try LogReader(directory: directory.path)
        let layout = reader.segmentLayouts[0]
        // Rewrite batch 3 with different records, a fresh LZ4 frame and a correct CRC: only the chain can tell.
        let entry = layout.batches[3]
        guard case .batch(let header) = try layout.scanner.frame(at: Int(entry.offset), fileSize: layout.end) else { return }
        var batch = try layout.scanner.batch(header, at: Int(entry.offset))
        var bytes = batch.bytes
        let forged = Array("\"mid_e8\":9".utf8)
        if let range = bytes.firstRange(of: Array("\"mid_e8\":6".utf8)) { bytes.replaceSubrange(range, with: forged) }
        var frame: [UInt8] = []
        bytes.withUnsafeBytes { LZ4Codec.compress($0, appendingTo: &frame) }
        var forgedHeader = header
        forgedHeader.compressedBytes = UInt32(frame.count)
        forgedHeader.compressedCRC = CRC32C.checksum(frame)
        batch = try DecodedBatch(header: forgedHeader, bytes: bytes, file: segment.path, offset: Int(entry.offset))
        let prefix = try Data(contentsOf: URL(fileURLWithPath: segment.path)).prefix(Int(entry.offset))
        try (prefix + Data(forgedHeader.encodedFrame()) + Data(frame)).write(to: URL(fileURLWithPath: segment.path))
        let report = LogVerifier.verify(directory: directory.path)
        #expect(report.problem?.reason.contains("hash chain") == true)
        #expect(report.problem?.sequence == header.firstSequence)
    }

    @Test("with damage in several batches, verify names the first in log order, whichever thread checked it")
    func firstProblemInOrder() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        _ = try RecoveryTests.makeLog(directory.path, count: 400, batch: 40, segmentBytes: 1 << 20)
        let segment = try RecoveryTests.lastSegment(directory.path)
        let layout = try SegmentLayout(segment: segment)
        let original = try Data(contentsOf: URL(fileURLWithPath: segment.path))
        for damaged in [[3, 4], [4, 7], [5, 6], [2, 9]] {
            var bytes = original
            for batch in damaged { bytes[Int(layout.batches[batch].offset) + BatchHeader.frameBytes + 30] ^= 0x08 }
            try bytes.write(to: URL(fileURLWithPath: segment.path))
            let report = LogVerifier.verify(directory: directory.path)
            #expect(report.problem?.sequence == UInt64(damaged[0] * 40 + 1), "damage in batches \(damaged)")
            #expect(report.events == UInt64(damaged[0] * 40))
            #expect(report.batches == damaged[0])
        }
        try original.write(to: URL(fileURLWithPath: segment.path))
        #expect(LogVerifier.verify(directory: directory.path).ok)
    }

    @Test("a stream version that jumps between two batches is found, at the record that jumps")
    func streamJumpAcrossBatches() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let segment = try SegmentWriter.createSegment(directory: directory.path, firstSequence: 1, previousChain: .genesis, sync: false)
        let writer = try SegmentWriter(layout: SegmentLayout(segment: segment), options: FileLogOptions(fsync: .none))
        // Ten batches of ten records over two streams; in batch 6, stream B skips a version.
        var versions = ["A": UInt64(0), "B": UInt64(0)]
        var sequence: UInt64 = 0
        for batch in 0..<10 {
            var lines = CanonicalJSONWriter()
            for index in 0..<10 {
                sequence += 1
                let stream = index % 2 == 0 ? "A" : "B"
                versions[stream]! += (batch == 6 && index == 1) ? 2 : 1
                let draft = EventDraft(id: "e\(sequence)", type: "test.event", stream: stream, timestampMs: Int64(sequence),
                                       payload: Drafts.payload([("n", Int64(sequence))]))
                RecordCodec.encode(draft, sequence: sequence, streamVersion: versions[stream]!, into: &lines)
                lines.newline()
            }
            try writer.write(lines.bytes, recordCount: 10, firstSequence: sequence - 9, lastTimestampMs: Int64(sequence))
        }
        writer.close()
        let report = LogVerifier.verify(directory: directory.path)
        #expect(report.problem?.sequence == 62)
        #expect(report.problem?.reason == "stream B jumps from version 30 to 32")
        #expect(report.events == 60)
    }
}
