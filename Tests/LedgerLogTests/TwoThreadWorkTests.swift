import Foundation
import Testing
@testable import LedgerLog

@Suite("Reading on two threads", .timeLimit(.minutes(5)))
struct TwoThreadWorkTests {
    /// The records from `sequence` on that match `filter`, decoded batch after batch on one thread.
    static func oneThread(_ reader: LogReader, from sequence: UInt64, filter: RecordFilter) throws -> [LogRecord] {
        var out: [LogRecord] = []
        try reader.forEachBatch(from: sequence) { batch in
            out += try batch.records().filter { $0.sequence >= sequence && filter.matches($0) }
            return true
        }
        return out
    }

    @Test("a long read gives the very records of a one-thread read: from any sequence, filtered, across segments")
    func sameRecords() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        _ = try RecoveryTests.makeLog(directory.path, count: 1_000, batch: 37, segmentBytes: 16 << 10)
        let reader = try LogReader(directory: directory.path)
        #expect(reader.segmentCount > 2)
        for sequence: UInt64 in [1, 2, 37, 38, 500, 963, 999, 1_000, 1_001] {
            for filter in [RecordFilter.all, RecordFilter(stream: "market.S2"), RecordFilter(type: "market.tick"), RecordFilter(type: "none")] {
                var seen: [LogRecord] = []
                try reader.forEach(from: sequence, filter: filter) { record in
                    seen.append(record)
                    return true
                }
                #expect(seen == (try Self.oneThread(reader, from: sequence, filter: filter)), "from \(sequence), \(filter)")
            }
        }
    }

    @Test("records with escapes, correlation and causation ids read the same on two threads as on one")
    func escapedEnvelopes() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let log = try FileLog.openForTest(directory.path)
        for chunk in 0..<8 {
            let drafts = (0..<25).map { index -> EventDraft in
                let n = chunk * 25 + index
                return EventDraft(
                    id: n % 3 == 0 ? "id \"\(n)\" \\ é" : "id-\(n)", type: "test.event", stream: n % 2 == 0 ? "s/\"q\"" : "s/plain",
                    timestampMs: Int64(n) - 100, correlationId: n % 4 == 0 ? "corr-\(n)" : nil,
                    causationId: n % 5 == 0 ? "cause \"\(n)\"" : nil, payload: Drafts.payload([("n", Int64(n))]))
            }
            try log.append(drafts)
        }
        try log.close()
        let reader = try LogReader(directory: directory.path)
        #expect(reader.batchCount == 8)
        var seen: [LogRecord] = []
        try reader.forEach(from: 1) { record in
            seen.append(record)
            return true
        }
        #expect(seen == (try Self.oneThread(reader, from: 1, filter: .all)))
        #expect(seen.count == 200)
        #expect(seen[3].id == "id \"3\" \\ é" && seen[0].stream == "s/\"q\"" && seen[5].causationId == "cause \"5\"")
    }

    @Test("stopping early stops at once, whichever thread decoded the batch")
    func stopsEarly() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let records = try RecoveryTests.makeLog(directory.path, count: 600, batch: 20)
        let reader = try LogReader(directory: directory.path)
        for stop in [1, 19, 20, 21, 40, 41, 599, 600] {
            var seen: [LogRecord] = []
            try reader.forEach(from: 1) { record in
                seen.append(record)
                return seen.count < stop
            }
            #expect(seen == Array(records.prefix(stop)))
        }
    }

    @Test("damage in a later batch: every record before it arrives, in order, then the error naming it")
    func damageMidLog() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let records = try RecoveryTests.makeLog(directory.path, count: 400, batch: 40, segmentBytes: 1 << 20)
        let segment = try RecoveryTests.lastSegment(directory.path)
        let layout = try SegmentLayout(segment: segment)
        // Damage the payload of the 5th and of the 6th batch in turn (one decoded by each thread).
        for damaged in [4, 5] {
            let original = try Data(contentsOf: URL(fileURLWithPath: segment.path))
            var bytes = original
            bytes[Int(layout.batches[damaged].offset) + BatchHeader.frameBytes + 20] ^= 0x40
            try bytes.write(to: URL(fileURLWithPath: segment.path))
            let reader = try LogReader(directory: directory.path)
            var seen: [LogRecord] = []
            let error = logError {
                try reader.forEach(from: 1) { record in
                    seen.append(record)
                    return true
                }
            }
            #expect(seen == Array(records.prefix(damaged * 40)))
            guard case .corrupt(_, _, let sequence, _)? = error else {
                Issue.record("expected a corrupt-log error, got \(String(describing: error))")
                return
            }
            #expect(sequence == UInt64(damaged * 40 + 1))
            try original.write(to: URL(fileURLWithPath: segment.path))
        }
    }

    /// Jobs 0..<count, one per call, then nil (called under the work's lock only).
    static func jobs(_ count: Int) -> () -> Int? {
        var next = 0
        return {
            guard next < count else { return nil }
            next += 1
            return next - 1
        }
    }

    /// Every job or result as the caller sees it, in order, until `stop` is seen.
    static func results(of shared: TwoThreadWork<Int, Int>, stoppingAt stop: Int? = nil) throws -> [Int] {
        var seen: [Int] = []
        let take = { (value: Int) -> Bool in
            seen.append(value)
            return value != stop
        }
        try shared.run(own: take, consume: take)
        return seen
    }

    @Test("jobs of uneven cost come back complete and in order, whichever thread did them")
    func inOrder() throws {
        for seed: UInt64 in 1...20 {
            var random = SeededRandom(seed: seed)
            let costs = (0..<200).map { _ in Int(random.next() % 2_000) }
            let shared = TwoThreadWork<Int, Int>(
                next: Self.jobs(costs.count),
                work: { job in
                    var sum = 0
                    for step in 0..<costs[job] { sum &+= step }
                    return job + (sum == -1 ? 1 : 0)
                })
            #expect(try Self.results(of: shared) == Array(0..<200), "seed \(seed)")
        }
    }

    @Test("a final result stops the claiming; everything before it still arrives, in order")
    func finalResult() throws {
        let shared = TwoThreadWork<Int, Int>(
            next: Self.jobs(1_000),
            work: { $0 },
            isFinal: { $0 == 500 })
        #expect(try Self.results(of: shared, stoppingAt: 500) == Array(0...500))
    }

    @Test("with every pool thread busy the caller does all the work and returns; a late helper leaves at once")
    func noFreeHelper() throws {
        let release = DispatchSemaphore(value: 0)
        let blockers = 128
        for _ in 0..<blockers {
            DispatchQueue.global(qos: .userInitiated).async { _ = release.wait(timeout: .now() + 20) }
        }
        defer { for _ in 0..<blockers { release.signal() } }
        Thread.sleep(forTimeInterval: 0.2)
        let shared = TwoThreadWork<Int, Int>(
            next: Self.jobs(50),
            work: { $0 })
        let start = Date()
        #expect(try Self.results(of: shared) == Array(0..<50))
        #expect(Date().timeIntervalSince(start) < 10, "the read waited for a pool thread")
    }
}
