import Foundation
import LedgerPostgres
import Testing
@testable import LedgerLog

/// The log on PostgreSQL beyond the contract every store keeps: many writers, killed sessions,
/// migrations and bad locations. Skipped (with a line saying so) when no server is named.
@Suite("the log on PostgreSQL", .serialized, .timeLimit(.minutes(5)), .enabled(if: PostgresTestServer.url != nil, "CLASH_TEST_POSTGRES names no server (tools/test starts one)"))
struct PostgresLogTests {
    @Test("writers on connections of their own append at once: one gapless order, no duplicates, every acknowledged event present, the chain valid, and a file log fed the same batches ends on the same head")
    func concurrentWriters() throws {
        let url = PostgresTestServer.freshURL()
        let writers = 6, appends = 40
        try PostgresLog.open(url: url).close()
        let acknowledged = Mutex<[(writer: Int, result: AppendResult, ids: [String])]>([])
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            do {
                let log = try PostgresLog.open(url: url)
                defer { try? log.close() }
                for index in 0..<appends {
                    let drafts = Drafts.ticks(1 + (index % 5), streams: 3, prefix: "w\(writer)-a\(index)")
                    let result = try log.append(drafts)
                    acknowledged.withLock { $0.append((writer, result, drafts.map(\.id))) }
                }
            } catch {
                Issue.record("writer \(writer): \(error)")
            }
        }
        let log = try PostgresLog.open(url: url)
        defer { try? log.close() }
        let records = try log.read()
        let verification = try log.verify()
        #expect(verification.events == UInt64(records.count) && verification.batches == writers * appends)
        #expect(records.map(\.sequence) == Array(1...UInt64(records.count)), "gapless")
        #expect(Set(records.map(\.id)).count == records.count, "no duplicates")
        let byId = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0.sequence) })
        for (_, result, ids) in acknowledged.withLock({ $0 }) {
            #expect(ids.compactMap { byId[$0] } == Array(result.firstSequence...result.lastSequence), "acknowledged events are where the append said")
        }
        // Each stream's versions run 1, 2, 3… in sequence order, whoever wrote them.
        for stream in Set(records.map(\.stream)) {
            #expect(records.filter { $0.stream == stream }.map(\.streamVersion) == Array(1...UInt64(records.filter { $0.stream == stream }.count)))
        }
        // The same batches into a file log: the same head.
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let file = try FileLog.openForTest(directory.path, segmentBytes: 1 << 20)
        defer { try? file.close() }
        var start = 1
        for (_, result, _) in acknowledged.withLock({ $0 }).sorted(by: { $0.result.firstSequence < $1.result.firstSequence }) {
            try file.append(records[(start - 1)..<Int(result.lastSequence)].map { record in
                EventDraft(id: record.id, type: record.type, schemaVersion: record.schemaVersion, stream: record.stream, timestampMs: record.timestampMs,
                           correlationId: record.correlationId, causationId: record.causationId, payload: Array(record.payload))
            })
            start = Int(result.lastSequence) + 1
        }
        #expect(try file.head == log.head)
    }

    @Test("appends from many threads at once on one store are grouped into shared transactions, each its own batch; a refused append fails alone, a repeated one is answered with its positions, and a file log fed the same batches ends on the same head")
    func groupCommit() throws {
        let log = try PostgresTestServer.freshLog()
        defer { try? log.close() }
        let once = Drafts.tick(0, stream: "s.repeat", prefix: "once")
        let first = try log.append([once])
        let threads = 32, appends = 20
        let answers = Mutex<[(thread: Int, index: Int, result: Result<AppendResult, LogError>)]>([])
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let stream = "s.t\(thread)"
            var accepted: UInt64 = 0
            for index in 0..<appends {
                // Thread 0's odd appends expect a version its stream never has; thread 1 repeats
                // an append already written, once.
                let refused = thread == 0 && index % 2 == 1
                let drafts = thread == 1 && index == 5 ? [once] : [Drafts.tick(index, stream: stream, prefix: "t\(thread)")]
                let expectations: [String: ExpectedVersion] = drafts == [once] ? [:] : [stream: refused ? .exactly(999) : .exactly(accepted)]
                do {
                    let result = try log.append(drafts, expectations: expectations)
                    if result.written { accepted += 1 }
                    answers.withLock { $0.append((thread, index, .success(result))) }
                } catch let error as LogError {
                    answers.withLock { $0.append((thread, index, .failure(error))) }
                } catch {
                    Issue.record("thread \(thread) append \(index): \(error)")
                }
            }
        }
        let all = answers.withLock { $0 }
        #expect(all.count == threads * appends)
        var written = 0
        for (thread, index, result) in all {
            switch (thread, index, result) {
            case (0, let index, .failure(.wrongExpectedVersion(let stream, let expected, let actual))) where index % 2 == 1:
                #expect(stream == "s.t0" && expected == .exactly(999) && actual == UInt64(index / 2 + 1), "refused alone, against its own stream")
            case (1, 5, .success(let repeated)):
                #expect(repeated == AppendResult(firstSequence: first.firstSequence, lastSequence: first.lastSequence, written: false))
            case (_, _, .success(let appended)) where !(thread == 0 && index % 2 == 1):
                #expect(appended.written && appended.firstSequence == appended.lastSequence)
                written += 1
            default:
                Issue.record("thread \(thread) append \(index): unexpected \(result)")
            }
        }
        let statistics = log.statistics
        #expect(statistics.transactions < written, "concurrent appends shared transactions (\(statistics.transactions) for \(written) appends)")

        let records = try log.read()
        #expect(records.count == written + 1)
        #expect(try log.verify().batches == written + 1, "each append its own batch")
        #expect(records.map(\.sequence) == Array(1...UInt64(records.count)), "gapless")
        for thread in 0..<threads {
            let versions = records.filter { $0.stream == "s.t\(thread)" }.map(\.streamVersion)
            #expect(versions == Array(1...UInt64(versions.count)))
        }
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let file = try FileLog.openForTest(directory.path, segmentBytes: 1 << 20)
        defer { try? file.close() }
        for record in records {
            try file.append([EventDraft(id: record.id, type: record.type, schemaVersion: record.schemaVersion, stream: record.stream,
                                        timestampMs: record.timestampMs, payload: Array(record.payload))])
        }
        #expect(try file.head == log.head)
    }

    @Test("records placed in the database (small appends) and by the writer (large ones) are byte for byte what the file log writes, whatever the payload and names hold; an expectation the database finds broken is the file log's error, nothing written")
    func placedInDatabaseOrByWriter() throws {
        func draft(_ index: Int, stream: String) -> EventDraft {
            // A payload holding the envelope's own keys and a string holding them quoted.
            var json = CanonicalJSONWriter()
            json.beginObject()
            json.key("note"); json.string(",\"seq\":0,\"stream\":\"x\",\"stream_version\":0,\"ts\":1")
            json.key("seq"); json.int(0)
            json.key("stream"); json.string("x")
            json.key("stream_version"); json.int(Int64(index))
            json.key("ts"); json.int(1)
            json.endObject()
            return EventDraft(id: "p-\(index)", type: "odd.type", stream: stream, timestampMs: 1_700_000_000_000 + Int64(index),
                              correlationId: index % 3 == 0 ? "corr-\(index)" : nil, causationId: index % 4 == 0 ? "cause \"\(index)\"" : nil,
                              payload: json.bytes)
        }
        let streams = ["s.plain", "s.\"quoted\"", "s.é"]
        let appends: [([EventDraft], [String: ExpectedVersion])] = [
            ((0..<2).map { draft($0, stream: streams[$0 % 3]) }, [:]),
            ((2..<5).map { draft($0, stream: streams[$0 % 3]) }, [streams[0]: .exactly(1)]),
            ((5..<305).map { draft($0, stream: streams[$0 % 3]) }, [streams[1]: .exactly(2)]),
            ((305..<307).map { draft($0, stream: streams[$0 % 3]) }, [streams[2]: .exactly(101)]),
        ]
        let log = try PostgresTestServer.freshLog()
        defer { try? log.close() }
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let file = try FileLog.openForTest(directory.path, segmentBytes: 1 << 20)
        defer { try? file.close() }
        for (drafts, expectations) in appends {
            #expect(try log.append(drafts, expectations: expectations) == file.append(drafts, expectations: expectations))
        }
        let refused = logError { try log.append([draft(900, stream: streams[0])], expectations: [streams[0]: .exactly(7)]) }
        #expect(refused == logError { try file.append([draft(900, stream: streams[0])], expectations: [streams[0]: .exactly(7)]) })
        #expect(refused != nil)
        #expect(try log.head == file.head)
        var stored: [[UInt8]] = []
        try log.forEachCanonical(from: 1) { _, bytes in stored.append(Array(bytes)); return true }
        var expected: [[UInt8]] = []
        try file.forEachCanonical(from: 1) { _, bytes in expected.append(Array(bytes)); return true }
        #expect(stored.count == 307 && stored == expected)
    }

    @Test("a writer's session killed in the middle of its appends, one waiting inside the database (pg_terminate_backend), loses nothing acknowledged and leaves no gap; it gets a clear error, and the same events retried on a new connection are written once")
    func killedSession() throws {
        let url = PostgresTestServer.freshURL()
        let schema = try PostgresLocation(url: url).schema
        let victim = try PostgresLog.open(url: url)
        let killer = try PostgresLog.open(url: url)
        defer { try? killer.close(); try? victim.close() }
        try victim.append(Drafts.ticks(10, prefix: "before"))
        let pid = try victim.sessionProcessId()
        var acknowledged = 10
        // While the victim appends, another session takes the head's lock for two seconds, so that
        // the victim's append is inside its transaction, waiting, when its session is ended.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        holder.arguments = [String(url.prefix { $0 != "?" }), "-q", "-c",
                            "BEGIN; SELECT seq FROM \(schema).log_head WHERE id = 1 FOR UPDATE; SELECT pg_sleep(2); COMMIT;"]
        defer { holder.waitUntilExit() }
        let killed = DispatchSemaphore(value: 0)
        Thread {
            usleep(50_000)
            try? holder.run()
            usleep(800_000)
            _ = try? killer.terminateSession(pid)
            killed.signal()
        }.start()
        var lost: [EventDraft] = []
        var failure: (any Error)?
        for index in 0..<10_000 {
            let drafts = Drafts.ticks(50, prefix: "loop\(index)")
            do {
                try victim.append(drafts)
                acknowledged += drafts.count
            } catch {
                failure = error
                lost = drafts
                break
            }
        }
        #expect(killed.wait(timeout: .now() + 10) == .success)
        let error = try #require(failure, "the killed session's append failed")
        #expect("\(error)".contains("unavailable"), "a clear error: \(error)")
        let fresh = try PostgresLog.open(url: url)
        defer { try? fresh.close() }
        let verification = try fresh.verify()
        #expect(verification.events == UInt64(acknowledged), "every acknowledged event, nothing else")
        let retried = try fresh.append(lost)
        #expect(retried.written && retried.firstSequence == UInt64(acknowledged + 1))
        #expect(try fresh.append(lost).written == false, "a second retry is recognised as written")
        #expect(try fresh.verify().events == UInt64(acknowledged + lost.count))
    }

    @Test("a follower wakes when an append commits (LISTEN/NOTIFY), not when its poll comes round: with a 20-second poll it sees each append another connection commits at once")
    func followerWakesOnNotify() throws {
        let url = PostgresTestServer.freshURL()
        let follower = try PostgresLog.open(url: url)
        let writer = try PostgresLog.open(url: url)
        defer { try? follower.close(); try? writer.close() }
        try writer.append(Drafts.ticks(3, prefix: "before"))
        let seen = Mutex<[String]>([])
        let done = DispatchSemaphore(value: 0)
        Thread {
            defer { done.signal() }
            do {
                try follower.follow(from: 4, pollMilliseconds: 20_000) { record in
                    seen.withLock { $0.append(record.id) }
                    return seen.withLock { $0.count } < 2
                }
            } catch {
                Issue.record("follower: \(error)")
            }
        }.start()
        Thread.sleep(forTimeInterval: 0.5)  // the follower is waiting
        let first = Drafts.ticks(1, prefix: "first"), second = Drafts.ticks(1, prefix: "second")
        try writer.append(first)
        Thread.sleep(forTimeInterval: 0.3)
        try writer.append(second)
        #expect(done.wait(timeout: .now() + 10) == .success, "the follower woke on each commit (a 20 s poll would not have)")
        #expect(seen.withLock { $0 } == (first + second).map(\.id))
    }

    @Test("migrations are applied once and recorded; a database whose record of a shipped migration differs is refused with what to do")
    func migrations() throws {
        let url = PostgresTestServer.freshURL()
        let log = try PostgresLog.open(url: url)
        try log.append(Drafts.ticks(3))
        try log.close()
        let again = try PostgresLog.open(url: url)
        #expect(try again.head.sequence == 3, "opening again keeps the log")
        try again.close()
        try Self.psql(url, "UPDATE \(try PostgresLocation(url: url).schema).schema_migrations SET sha256 = 'edited' WHERE version = 1")
        #expect {
            try PostgresLog.open(url: url)
        } throws: { error in
            guard case .migrationChanged(let version, _)? = error as? PostgresLogError else { return false }
            return version == 1 && "\(error)".contains("never edited")
        }
    }

    /// Runs a statement with psql, as an operator would.
    static func psql(_ url: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [String(url.prefix { $0 != "?" }), "-q", "-v", "ON_ERROR_STOP=1", "-c", sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "psql \(sql)")
    }

    @Test("a location that cannot be used is refused with the form to use; a server that does not answer is a clear error")
    func badLocations() throws {
        for url in ["mysql://u@h/db", "postgres://h:5432/db", "postgres://u@h:5432/", "postgres://u@h/db?schema=Bad-Name", "postgres://u@h/db?sslmode=require"] {
            #expect(throws: PostgresLogError.self, "\(url)") { try PostgresLocation(url: url) }
        }
        #expect(try PostgresLocation(url: "postgresql://clash@127.0.0.1:5433/clash?schema=arena_2").schema == "arena_2")
        #expect {
            try PostgresLog.open(url: "postgres://clash@127.0.0.1:1/clash")
        } throws: { error in
            guard case .unavailable? = error as? PostgresLogError else { return false }
            return "\(error)".contains("127.0.0.1:1")
        }
    }
}
