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

    @Test("a writer's session killed in the middle of its appends (pg_terminate_backend) loses nothing acknowledged and leaves no gap; it gets a clear error, and the same events retried on a new connection are written once")
    func killedSession() throws {
        let url = PostgresTestServer.freshURL()
        let victim = try PostgresLog.open(url: url)
        let killer = try PostgresLog.open(url: url)
        defer { try? killer.close(); try? victim.close() }
        try victim.append(Drafts.ticks(10, prefix: "before"))
        let pid = try victim.sessionProcessId()
        var acknowledged = 10
        var failure: (any Error)?
        let killed = DispatchSemaphore(value: 0)
        Thread {
            usleep(30_000)
            _ = try? killer.terminateSession(pid)
            killed.signal()
        }.start()
        var lost: [EventDraft] = []
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
