import Foundation
import GRDB
import LedgerLog
import Projections
import Testing

/// A data directory with a log of synthetic ticks for projection tests.
struct TickLog {
    let root = NSTemporaryDirectory() + "clash-projections-\(UUID().uuidString)"
    var logPath: String { root + "/log" }
    var projectionsPath: String { root + "/projections" }

    static let symbols = ["BTC-PERP", "ETH-PERP", "SOL-PERP", "DOGE-PERP"]

    /// Appends `count` ticks (in appends of `chunk`), deterministic by `seed`, from tick `offset` on.
    func append(_ count: Int, seed: UInt64 = 1, offset: Int = 0, chunk: Int = 500, schema: Int = 1) throws {
        let log = try FileLog.open(directory: logPath, options: FileLogOptions(fsync: .none, segmentBytesMax: 256 << 10))
        defer { try? log.close() }
        var state = seed
        var drafts: [EventDraft] = []
        for index in offset..<(offset + count) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let symbol = Self.symbols[Int(state >> 33) % Self.symbols.count]
            var json = CanonicalJSONWriter()
            json.beginObject()
            json.key("funding_e8"); json.int(Int64(state >> 50) - 4_000)
            json.key("mid_e8"); json.int(1_000_000 + Int64(state >> 40))
            json.key("open_interest_e2"); json.int(Int64(state >> 20))
            json.key("symbol"); json.string(symbol)
            json.endObject()
            drafts.append(EventDraft(id: "tick-\(seed)-\(index)", type: "market.tick", schemaVersion: schema,
                                     stream: "market." + symbol, timestampMs: 1_717_200_000_000 + Int64(index) * 700,
                                     payload: json.bytes))
            if drafts.count == chunk {
                try log.append(drafts)
                drafts = []
            }
        }
        if !drafts.isEmpty { try log.append(drafts) }
    }

    func runner(_ projectors: [any Projector] = ReadModels.all, directory: String? = nil) throws -> ProjectionRunner {
        try ProjectionRunner(directory: directory ?? projectionsPath, log: try LogReader(directory: logPath), projectors: projectors)
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: root) }
}

@Suite("Projections", .timeLimit(.minutes(5)))
struct ProjectionsTests {
    @Test("the read models hold exactly what the ticks say")
    func foldsTicks() throws {
        let log = TickLog()
        defer { log.cleanup() }
        try log.append(3_000)
        let runner = try log.runner()
        defer { try? runner.close() }
        #expect(try runner.catchUp() == 3_000)
        let all = try LogReader(directory: log.logPath).read()
        let db = try DatabaseQueue(path: log.projectionsPath + "/market_ticks.sqlite")
        try db.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT sum(ticks) FROM latest_tick") == 3_000)
            for interval in CandleIntervals.all {
                #expect(try Int.fetchOne(db, sql: "SELECT sum(ticks) FROM candle WHERE interval = ?", arguments: [interval.name]) == 3_000)
            }
            // Every longer candle agrees with the 1-minute candles it covers.
            let disagreeing = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM candle AS h WHERE h.interval = '5m' AND (h.high_e8, h.low_e8, h.ticks) IS NOT (
                    SELECT max(m.high_e8), min(m.low_e8), sum(m.ticks) FROM candle AS m
                    WHERE m.symbol = h.symbol AND m.interval = '1m' AND m.open_ms >= h.open_ms AND m.open_ms < h.open_ms + 300000)
                """)
            #expect(disagreeing == 0)
            let last = all.last { $0.stream == "market.BTC-PERP" }!
            let row = try Row.fetchOne(db, sql: "SELECT * FROM latest_tick WHERE symbol = 'BTC-PERP'")!
            #expect(row["sequence"] as Int64 == Int64(last.sequence))
            #expect(row["ts"] as Int64 == last.timestampMs)
            let minute = all.filter { $0.stream == "market.ETH-PERP" && $0.timestampMs / 60_000 == 1_717_200_060_000 / 60_000 }
            let mids = minute.map { record -> Int64 in
                var mid: Int64 = 0
                try! PayloadFields.scan(record.payload) { key, value in
                    if case .integer(let number) = value, PayloadFields.key(key, is: "mid_e8") { mid = number }
                }
                return mid
            }
            let candle = try Row.fetchOne(db, sql: "SELECT * FROM candle WHERE symbol = 'ETH-PERP' AND interval = '1m' AND open_ms = 1717200060000")!
            #expect(candle["open_e8"] as Int64 == mids.first!)
            #expect(candle["close_e8"] as Int64 == mids.last!)
            #expect(candle["high_e8"] as Int64 == mids.max()!)
            #expect(candle["low_e8"] as Int64 == mids.min()!)
        }
        let index = try DatabaseQueue(path: log.projectionsPath + "/event_index.sqlite")
        try index.read { (db) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT events FROM event_type WHERE type = 'market.tick'") == 3_000)
            #expect(try Int.fetchOne(db, sql: "SELECT sum(version) FROM stream") == 3_000)
        }
    }

    @Test("replay equality: read models followed live, in many steps, equal a rebuild from the log byte for byte")
    func replayEquality() throws {
        let log = TickLog()
        defer { log.cleanup() }
        let runner = try log.runner()
        defer { try? runner.close() }
        // 100,000 events appended and followed in 8 steps of different append sizes.
        for step in 0..<8 {
            try log.append(12_500, offset: step * 12_500, chunk: 300 + step * 450)
            try runner.catchUp()
        }
        let live = try runner.stateHashes()
        let rebuilt = try log.runner(directory: log.root + "/rebuilt")
        defer { try? rebuilt.close() }
        try rebuilt.catchUp()
        #expect(try rebuilt.stateHashes() == live)
        try runner.verifyReplay(scratchDirectory: log.root + "/scratch")
    }

    @Test("a damaged live read model is found by replay verification, naming the table and the row")
    func replayFindsDifference() throws {
        let log = TickLog()
        defer { log.cleanup() }
        try log.append(1_000)
        let runner = try log.runner()
        defer { try? runner.close() }
        try runner.catchUp()
        let db = try DatabaseQueue(path: log.projectionsPath + "/market_ticks.sqlite")
        try db.write { try $0.execute(sql: "UPDATE latest_tick SET mid_e8 = mid_e8 + 1 WHERE symbol = 'SOL-PERP'") }
        try db.close()
        do {
            try runner.verifyReplay(scratchDirectory: log.root + "/scratch")
            Issue.record("expected a mismatch")
        } catch let error as ProjectionError {
            guard case .replayMismatch(let table, let detail) = error else { Issue.record("\(error)"); return }
            #expect(table == "market_ticks.latest_tick")
            #expect(detail.contains("SOL-PERP"))
        }
    }

    @Test("an event of a version the catalog does not know is an error naming its sequence; the read models stop just before it")
    func unknownVersionIsAnError() throws {
        let log = TickLog()
        defer { log.cleanup() }
        try log.append(1_000, chunk: 500)
        try log.append(10, offset: 1_000, chunk: 10, schema: 2)
        let runner = try log.runner([MarketTicksProjector()])
        defer { try? runner.close() }
        do {
            try runner.catchUp()
            Issue.record("expected an error")
        } catch let error as ProjectionError {
            guard case .unknownEvent(let sequence, let type, let version) = error else { Issue.record("\(error)"); return }
            #expect(sequence == 1_001)
            #expect(type == "market.tick" && version == 2)
            #expect("\(error)".contains("event 1001"))
        }
        #expect(try runner.status().first?.checkpoint == 1_000)
    }

    @Test("an event a projector cannot read is an error naming its sequence; the read model stops just before it")
    func badPayloadIsAnError() throws {
        let log = TickLog()
        defer { log.cleanup() }
        try log.append(700, chunk: 700)
        let writer = try FileLog.open(directory: log.logPath, options: FileLogOptions(fsync: .none))
        try writer.append([EventDraft(id: "bad", type: "market.tick", stream: "market.BTC-PERP", timestampMs: 1_717_300_000_000,
                                      payload: Array(#"{"symbol":"BTC-PERP"}"#.utf8))])
        try writer.close()
        let runner = try log.runner([MarketTicksProjector()])
        defer { try? runner.close() }
        do {
            try runner.catchUp()
            Issue.record("expected an error")
        } catch let error as ProjectionError {
            guard case .badEvent(let projector, let sequence, _, _) = error else { Issue.record("\(error)"); return }
            #expect(projector == "market_ticks")
            #expect(sequence == 701)
        }
        #expect(try runner.status().first?.checkpoint == 700)
    }

    @Test("the arena read model stops at a value it cannot read (a refund of a ticket never bought), naming the sequence and field, instead of skipping it")
    func arenaStopsAtWhatItCannotRead() throws {
        let log = TickLog()
        defer { log.cleanup() }
        let writer = try FileLog.open(directory: log.logPath, options: FileLogOptions(fsync: .none))
        let opened = #"{"clone_ids":["c-1"],"duration_ms":21600000,"race_id":"r-1","settlement_policy":1,"starting_equity_e6":10000000000,"ticket_price_wei":"10000000000000000"}"#
        let refund = #"{"amount_wei":"10000000000000000","holder":"0x1111111111111111111111111111111111111111","race_id":"r-1","ticket_id":"r-1-t9"}"#
        try writer.append([EventDraft(id: "r-1-opened", type: "race.opened", stream: "race.r-1", timestampMs: 1_717_200_000_000, payload: Array(opened.utf8))])
        try writer.append([EventDraft(id: "r-1-t9-refunded", type: "ticket.refunded", stream: "race.r-1", timestampMs: 1_717_200_060_000, payload: Array(refund.utf8))])
        try writer.close()
        let runner = try log.runner([ArenaProjector()])
        defer { try? runner.close() }
        do {
            try runner.catchUp()
            Issue.record("expected an error")
        } catch let error as ProjectionError {
            guard case .badEvent(let projector, let sequence, _, let reason) = error else { Issue.record("\(error)"); return }
            #expect(projector == "arena" && sequence == 2 && reason.hasPrefix("ticket_id:") && reason.contains("r-1-t9"))
        }
        #expect(try runner.status().first?.checkpoint == 1)
    }

    @Test("a projector whose version or schema changed is rebuilt on open, by a swap the reader never sees half done")
    func schemaChangeRebuilds() throws {
        let log = TickLog()
        defer { log.cleanup() }
        try log.append(20_000, chunk: 1_000)
        var runner = try log.runner([CountingProjector(version: 1)])
        try runner.catchUp()
        try runner.close()

        // A reader keeps reading the live file while the changed projector rebuilds it.
        let path = log.projectionsPath + "/counting.sqlite"
        let stop = Mutex(false)
        let seen = Mutex<[Int]>([])
        let reader = Thread {
            while !stop.withLock({ $0 }) {
                if let db = try? DatabaseQueue(path: path),
                   let value = try? db.read({ try Int.fetchOne($0, sql: "SELECT count FROM counted WHERE id = 1") }) {
                    seen.withLock { $0.append(value ?? -1) }
                }
            }
        }
        reader.start()
        // The reader has read the old state before the rebuild starts, and reads the new one after
        // the swap (or ten seconds pass and the test fails): its reads span the swap.
        func waitUntilSeen(_ value: Int) {
            let deadline = Date().addingTimeInterval(10)
            while !seen.withLock({ $0.contains(value) }) && Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
        }
        waitUntilSeen(20_000)
        runner = try log.runner([CountingProjector(version: 2)])
        try runner.catchUp()
        waitUntilSeen(40_000)
        stop.withLock { $0 = true }
        Thread.sleep(forTimeInterval: 0.05)
        try runner.close()
        // Version 1 counted every event once; version 2 counts each twice. Only whole states are seen.
        let observed = seen.withLock { $0 }
        #expect(observed.first == 20_000 && observed.last == 40_000, "the reader read before and after the swap")
        #expect(observed.allSatisfy { $0 == 20_000 || $0 == 40_000 })
        let db = try DatabaseQueue(path: path)
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT count FROM counted WHERE id = 1") } == 40_000)
    }

    @Test("a read model file that never finished being created is rebuilt on open, not an error")
    func halfCreatedReadModel() throws {
        let log = TickLog()
        defer { log.cleanup() }
        try log.append(1_000)
        try FileManager.default.createDirectory(atPath: log.projectionsPath, withIntermediateDirectories: true)
        let broken = try DatabaseQueue(path: log.projectionsPath + "/market_ticks.sqlite")
        try broken.write { try $0.execute(sql: "CREATE TABLE latest_tick (symbol TEXT)") }
        try broken.close()
        let runner = try log.runner()
        defer { try? runner.close() }
        try runner.catchUp()
        try runner.read("market_ticks") { (db) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT sum(ticks) FROM latest_tick") == 1_000)
        }
    }

    @Test("a read model a killed writer left mid-transaction is read as of its last commit by read-only commands, and left untouched")
    func hotJournalReadOnly() throws {
        let log = TickLog()
        defer { log.cleanup() }
        try log.append(3_000)
        var runner = try log.runner()
        try runner.catchUp()
        let committed = try runner.stateHashes()
        try runner.close()
        // A writer in the middle of a transaction, its small cache spilling changed pages into the
        // file: copying the file and its journal now leaves what a kill -9 leaves.
        let crashed = log.root + "/crashed"
        try FileManager.default.createDirectory(atPath: crashed, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: log.projectionsPath) where name != "market_ticks.sqlite" {
            try FileManager.default.copyItem(atPath: log.projectionsPath + "/" + name, toPath: crashed + "/" + name)
        }
        let writer = try DatabaseQueue(path: log.projectionsPath + "/market_ticks.sqlite")
        try writer.inDatabase { try $0.execute(sql: "PRAGMA cache_size = 2") }
        try writer.inTransaction(.immediate) { db in
            try db.execute(sql: "UPDATE candle_1m SET high_e8 = high_e8 + 1, ticks = ticks + 1")
            for suffix in ["", "-journal"] {
                try FileManager.default.copyItem(atPath: log.projectionsPath + "/market_ticks.sqlite" + suffix,
                                                 toPath: crashed + "/market_ticks.sqlite" + suffix)
            }
            return .rollback
        }
        try writer.close()
        let journal = try Data(contentsOf: URL(fileURLWithPath: crashed + "/market_ticks.sqlite-journal"))
        let file = try Data(contentsOf: URL(fileURLWithPath: crashed + "/market_ticks.sqlite"))
        #expect(!journal.isEmpty)

        runner = try ProjectionRunner(readingDirectory: crashed, log: try LogReader(directory: log.logPath), projectors: ReadModels.all)
        defer { try? runner.close() }
        #expect(try runner.status().first { $0.name == "market_ticks" }?.checkpoint == 3_000)
        #expect(try runner.stateHashes() == committed)
        #expect(try Data(contentsOf: URL(fileURLWithPath: crashed + "/market_ticks.sqlite-journal")) == journal)
        #expect(try Data(contentsOf: URL(fileURLWithPath: crashed + "/market_ticks.sqlite")) == file)
    }

    @Test("a rebuild cut short leaves the live read model untouched and is cleaned up on the next open")
    func interruptedRebuild() throws {
        let log = TickLog()
        defer { log.cleanup() }
        try log.append(2_000)
        var runner = try log.runner()
        try runner.catchUp()
        let before = try runner.stateHashes()
        try runner.close()
        let shadow = log.projectionsPath + "/market_ticks.sqlite.rebuild"
        try Data("half-built".utf8).write(to: URL(fileURLWithPath: shadow))
        runner = try log.runner()
        defer { try? runner.close() }
        #expect(!FileManager.default.fileExists(atPath: shadow))
        #expect(try runner.stateHashes() == before)
    }

    @Test("a reader whose read models a writer moved on since it opened them folds each event once: its copies equal the writer's")
    func readerBehindAMovingWriter() throws {
        let log = TickLog()
        defer { log.cleanup() }
        try log.append(1_000)
        let writer = try log.runner()
        defer { try? writer.close() }
        try writer.catchUp()
        let reader = try ProjectionRunner(readingDirectory: log.projectionsPath, log: try LogReader(directory: log.logPath), projectors: ReadModels.all)
        defer { try? reader.close() }
        // The writer appends and folds on disk after the reader read its checkpoints; then more
        // lands that only the log holds. The reader's copies must start from the copied rows' own checkpoint.
        try log.append(500, seed: 2, offset: 1_000)
        try writer.catchUp()
        try log.append(500, seed: 3, offset: 1_500)
        try reader.catchUp()
        try writer.catchUp()
        #expect(try reader.stateHashes() == writer.stateHashes())
    }
}

/// A projector whose meaning changes with its version: version N counts every event N times.
struct CountingProjector: Projector {
    let name = "counting"
    let version: Int
    var schemaSQL: String { "CREATE TABLE counted (id INTEGER PRIMARY KEY, count INTEGER NOT NULL); INSERT INTO counted VALUES (1, 0);" }
    let eventTypes: Set<String>? = nil

    func makeFold(_ db: Database) throws -> any ProjectorFold { Fold(db: db, weight: version) }

    struct Fold: ProjectorFold {
        let db: Database
        let weight: Int
        var added = 0
        mutating func apply(_ record: LogRecord) throws { added += weight }
        mutating func flush() throws {
            try db.execute(sql: "UPDATE counted SET count = count + ? WHERE id = 1", arguments: [added])
            added = 0
        }
    }
}

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
