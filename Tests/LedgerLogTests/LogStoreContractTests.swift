import Foundation
import LedgerPostgres
import Testing
@testable import LedgerLog

/// The behaviour every `LogStore` promises, run against the file store, the in-memory store and,
/// when `CLASH_TEST_POSTGRES` names a server (tools/test starts one), the PostgreSQL store.
enum StoreKind: String, CustomTestStringConvertible {
    case file, memory, postgres

    static var allCases: [StoreKind] { [.file, .memory] + (PostgresTestServer.url == nil ? [] : [.postgres]) }

    var testDescription: String { rawValue }

    func make() throws -> (LogStore, () -> Void) {
        switch self {
        case .memory:
            return (MemoryLog(), {})
        case .postgres:
            let log = try PostgresTestServer.freshLog()
            return (log, { try? log.close() })
        case .file:
            let directory = TemporaryDirectory()
            let log = try FileLog.openForTest(directory.path, segmentBytes: 16 << 10)
            return (log, { try? log.close(); directory.cleanup() })
        }
    }
}

@Suite("LogStore contract", .timeLimit(.minutes(5)))
struct LogStoreContractTests {
    @Test("appended events read back in order with gapless sequences and stream versions", arguments: StoreKind.allCases)
    func appendAndRead(kind: StoreKind) throws {
        let (log, done) = try kind.make()
        defer { done() }
        let drafts = Drafts.ticks(300, streams: 3)
        for chunk in stride(from: 0, to: drafts.count, by: 7) {
            try log.append(Array(drafts[chunk..<min(chunk + 7, drafts.count)]))
        }
        let records = try log.read()
        #expect(records.map(\.sequence) == Array(1...300))
        #expect(records.map(\.id) == drafts.map(\.id))
        #expect(records.map { Array($0.payload) } == drafts.map(\.payload))
        for stream in Set(drafts.map(\.stream)) {
            let versions = try log.read(stream: stream).map(\.streamVersion)
            #expect(versions == Array(1...UInt64(versions.count)))
            #expect(try log.streamVersion(stream) == UInt64(versions.count))
        }
        #expect(try log.head.sequence == 300)
    }

    @Test("reads start at any sequence and filter by stream and type", arguments: StoreKind.allCases)
    func readFromAndFilter(kind: StoreKind) throws {
        let (log, done) = try kind.make()
        defer { done() }
        try log.append(Drafts.ticks(100, streams: 4))
        var other = Drafts.tick(1000, stream: "race.r1")
        other.type = "race.opened"
        try log.append([other])
        #expect(try log.read(from: 57, limit: 3).map(\.sequence) == [57, 58, 59])
        #expect(try log.read(filter: RecordFilter(type: "race.opened")).map(\.id) == ["t-1000"])
        #expect(try log.read(from: 200).isEmpty)
        let s1 = try log.read(filter: RecordFilter(stream: "market.S1"))
        #expect(!s1.isEmpty && s1.allSatisfy { $0.stream == "market.S1" })
    }

    @Test("a wrong expected version is refused and writes nothing", arguments: StoreKind.allCases)
    func expectedVersionConflict(kind: StoreKind) throws {
        let (log, done) = try kind.make()
        defer { done() }
        try log.append([Drafts.tick(1, stream: "clone.c1")], expecting: .noStream, on: "clone.c1")
        try log.append([Drafts.tick(2, stream: "clone.c1")], expecting: .exactly(1), on: "clone.c1")
        let error = logError { try log.append([Drafts.tick(3, stream: "clone.c1")], expecting: .exactly(1), on: "clone.c1") }
        #expect(error == .wrongExpectedVersion(stream: "clone.c1", expected: .exactly(1), actual: 2))
        #expect(logError { try log.append([Drafts.tick(4, stream: "clone.c1")], expecting: .noStream, on: "clone.c1") } != nil)
        #expect(try log.head.sequence == 2)
        #expect(try log.streamVersion("clone.c1") == 2)
    }

    @Test("a retried append returns the original positions and writes nothing", arguments: StoreKind.allCases)
    func idempotentRetry(kind: StoreKind) throws {
        let (log, done) = try kind.make()
        defer { done() }
        let first = try log.append(Drafts.ticks(5))
        try log.append(Drafts.ticks(3, prefix: "other"))
        let retry = try log.append(Drafts.ticks(5))
        #expect(retry == AppendResult(firstSequence: first.firstSequence, lastSequence: first.lastSequence, written: false))
        #expect(try log.head.sequence == 8)
        let mixed = Drafts.ticks(5) + [Drafts.tick(99, prefix: "new")]
        #expect(logError { try log.append(mixed) } == .partialDuplicate(ids: Drafts.ticks(5).map(\.id)))
        #expect(logError { try log.append([Drafts.tick(1, prefix: "x"), Drafts.tick(1, prefix: "x")]) } != nil)
        #expect(try log.head.sequence == 8)
    }

    @Test("bad drafts are refused with the field named, and nothing of the append is written", arguments: StoreKind.allCases)
    func badDrafts(kind: StoreKind) throws {
        let (log, done) = try kind.make()
        defer { done() }
        var badPayload = Drafts.tick(2)
        badPayload.payload = Array(#"{"b":1,"a":2.5}"#.utf8)
        var badType = Drafts.tick(3)
        badType.type = "Market Tick"
        var emptyId = Drafts.tick(4)
        emptyId.id = ""
        var huge = Drafts.tick(5)
        huge.payload = Array(("{\"a\":\"" + String(repeating: "x", count: LogLimits.payloadBytesMax) + "\"}").utf8)
        let cases: [(EventDraft, String)] = [(badPayload, "payload"), (badType, "type"), (emptyId, "id"), (huge, "payload")]
        for (draft, field) in cases {
            guard case .invalidDraft(let index, let named, _)? = logError({ try log.append([Drafts.tick(1), draft]) }) else {
                Issue.record("\(field): expected invalidDraft")
                continue
            }
            #expect(index == 1)
            #expect(named == field)
        }
        #expect(try log.head.sequence == 0)
        #expect(try log.read().isEmpty)
    }

    @Test("follow delivers events appended after it started", arguments: StoreKind.allCases)
    func followSeesNewEvents(kind: StoreKind) throws {
        let (log, done) = try kind.make()
        defer { done() }
        try log.append(Drafts.ticks(3))
        let writerDone = DispatchSemaphore(value: 0)
        // A thread of its own: follow blocks, and must not starve the writer.
        Thread {
            for index in 0..<5 {
                usleep(20_000)
                try? log.append([Drafts.tick(100 + index, prefix: "late")])
            }
            writerDone.signal()
        }.start()
        var seen: [UInt64] = []
        // Stops at the seventh event, or after ten seconds without it (then the expectation fails
        // instead of the test hanging).
        let deadline = DispatchTime.now() + 10
        try log.follow(from: 2, pollMilliseconds: 5, shouldStop: { DispatchTime.now() >= deadline }) { record in
            seen.append(record.sequence)
            return seen.count < 7
        }
        #expect(writerDone.wait(timeout: .now() + 10) == .success, "the writer finished its appends")
        #expect(seen == Array(2...8))
    }

    @Test("every store gives the same records, canonical bytes, batch chain values and head hash for the same appends")
    func storesAgree() throws {
        let made = try StoreKind.allCases.map { try $0.make() }
        defer { made.forEach { $0.1() } }
        let logs = made.map(\.0)
        let drafts = Drafts.ticks(200, streams: 7, seed: 3)
        for chunk in stride(from: 0, to: 200, by: 25) {
            let slice = Array(drafts[chunk..<(chunk + 25)])
            for log in logs { try log.append(slice) }
        }
        func canonical(_ log: LogStore) throws -> [[UInt8]] {
            var lines: [[UInt8]] = []
            try log.forEachCanonical(from: 1) { lines.append(Array($1)); return true }
            return lines
        }
        for log in logs.dropFirst() {
            #expect(try logs[0].read() == log.read())
            #expect(try logs[0].head == log.head)
            #expect(try canonical(logs[0]) == canonical(log))
            for end in stride(from: 25, through: 200, by: 25) {
                #expect(try logs[0].chain(endingAt: UInt64(end)) == log.chain(endingAt: UInt64(end)))
            }
        }
    }
}
