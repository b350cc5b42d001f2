import Clash
import ClashTesting
import Foundation
import GRDB
import Market
import Testing

@Suite("context packets from the log", .serialized, .timeLimit(.minutes(5)))
struct ContextPipelineTests {
    static let start: Int64 = 1_717_200_000_000
    static let graph = StrategyGraph.basic(category: "Crypto/Layer 1", prompt: "p", cadence: "1m")

    static func packets(_ log: any LogReading, at time: Int64?, graph: StrategyGraph = graph) throws -> [String: ContextPacket] {
        let pipeline = try ContextPipeline(log: log)
        if let time { try pipeline.advance(to: time) } else { try pipeline.advanceToNewest() }
        return Dictionary(uniqueKeysWithValues: try pipeline.plans(graph).map { ($0.asset, try pipeline.packet($0)) })
    }

    /// The seeded market on disk, in a fresh directory.
    static func onDisk() throws -> (directory: String, ledger: Ledger) {
        let directory = NSTemporaryDirectory() + "clash-pipeline-\(UUID().uuidString)"
        let ledger = try Ledger.open(directory: directory, fsync: .none, clock: ManualClock(startMilliseconds: start + 4 * 3_600_000),
                                     ids: SeededIds(seed: 3))
        let memory = try marketLedger(hours: 3)
        try memory.log.forEach(from: 1, filter: .all) { record in
            try ledger.append([EventDraft(id: record.id, type: record.type, schemaVersion: record.schemaVersion, stream: record.stream,
                                          timestampMs: record.timestampMs, payload: Array(record.payload))])
            return true
        }
        return (directory, ledger)
    }

    @Test("a packet reads only events stamped up to its time: the same packet from a log cut there")
    func asOfTime() throws {
        let ledger = try marketLedger(hours: 3)
        let time = Self.start + 90 * 60_000 + 30_000
        let cut = MemoryLog()
        try ledger.log.forEach(from: 1, filter: .all) { record in
            guard record.timestampMs <= time else { return true }
            try cut.append([EventDraft(id: record.id, type: record.type, schemaVersion: record.schemaVersion, stream: record.stream,
                                       timestampMs: record.timestampMs, payload: Array(record.payload))])
            return true
        }
        let full = try Self.packets(ledger.log, at: time)
        let short = try Self.packets(cut, at: time)
        #expect(!full.isEmpty)
        #expect(full.mapValues(\.hash) == short.mapValues(\.hash))
        #expect(full != (try Self.packets(ledger.log, at: time + 60_000)), "a minute later the packets change")
    }

    @Test("stepping minute by minute gives the packets a fresh fold gives, at every step")
    func incremental() throws {
        let ledger = try marketLedger(hours: 2)
        let pipeline = try ContextPipeline(log: ledger.log)
        var time = Self.start
        var compared = 0
        while time <= Self.start + 2 * 3_600_000 {
            try pipeline.advance(to: time)
            if (time - Self.start) % (7 * 60_000) == 0 {
                let stepped = Dictionary(uniqueKeysWithValues: try pipeline.plans(Self.graph).map { ($0.asset, try pipeline.packet($0).hash) })
                #expect(stepped == (try Self.packets(ledger.log, at: time)).mapValues(\.hash), "at minute \((time - Self.start) / 60_000)")
                compared += stepped.count
            }
            time += 60_000
        }
        #expect(compared > 50)
    }

    @Test("ticks logged late (stamped half an hour back) change the candles they fall in: stepping still gives what a fresh fold gives")
    func lateTicks() throws {
        let market = try marketLedger(hours: 2)
        let minute30 = Self.start + 30 * 60_000
        // The same market, with every tick of minute 30 logged after those of minute 60.
        var late: [EventDraft] = []
        var drafts: [EventDraft] = []
        try market.log.forEach(from: 1, filter: .all) { record in
            let draft = EventDraft(id: record.id, type: record.type, schemaVersion: record.schemaVersion, stream: record.stream,
                                   timestampMs: record.timestampMs, payload: Array(record.payload))
            if record.type == "market.tick", record.timestampMs == minute30 {
                late.append(draft)
                return true
            }
            if !late.isEmpty, record.timestampMs > minute30 + 30 * 60_000 {
                drafts += late
                late = []
            }
            drafts.append(draft)
            return true
        }
        #expect(late.isEmpty)
        let log = MemoryLog()
        try log.append(drafts)
        let pipeline = try ContextPipeline(log: log)
        var time = Self.start
        while time <= Self.start + 75 * 60_000 {
            try pipeline.advance(to: time)
            if time >= minute30 + 25 * 60_000 {
                let stepped = Dictionary(uniqueKeysWithValues: try pipeline.plans(Self.graph).map { ($0.asset, try pipeline.packet($0).hash) })
                #expect(stepped == (try Self.packets(log, at: time)).mapValues(\.hash), "at minute \((time - Self.start) / 60_000)")
                if time == minute30 + 35 * 60_000 {
                    #expect(stepped != (try Self.packets(market.log, at: time)).mapValues(\.hash), "the late ticks close the 5-minute candle they fall in")
                }
            }
            time += 60_000
        }
    }

    @Test("spans passed over (a session's own appends) are never read, and stepping across them gives the packets a fresh fold gives")
    func passedOver() throws {
        let market = try marketLedger(hours: 2)
        // The market's first hour, then runs of non-market events, then the rest of the market.
        var drafts: [EventDraft] = []
        var own: [ClosedRange<UInt64>] = []
        var inserted = false
        try market.log.forEach(from: 1, filter: .all) { record in
            if !inserted, record.timestampMs > Self.start + 3_600_000 {
                for run in 0..<3 {
                    let first = UInt64(drafts.count + 1)
                    for index in 0..<50 {
                        drafts.append(try RunSkipped(cloneId: "c-1", competitionId: "free", dueMs: Self.start + 3_600_000, assets: ["BTC"],
                                                     caughtUpMs: Self.start).draft(id: "own-\(run)-\(index)", stream: "run.c-1.free",
                                                                                    timestampMs: Self.start + 3_600_000))
                    }
                    own.append(first...UInt64(drafts.count))
                    // A market event between two of them, which must still be read.
                    if run == 0 {
                        drafts.append(EventDraft(id: record.id, type: record.type, schemaVersion: record.schemaVersion, stream: record.stream,
                                                 timestampMs: record.timestampMs, payload: Array(record.payload)))
                    }
                }
                inserted = true
                return true
            }
            drafts.append(EventDraft(id: record.id, type: record.type, schemaVersion: record.schemaVersion, stream: record.stream,
                                     timestampMs: record.timestampMs, payload: Array(record.payload)))
            return true
        }
        let log = MemoryLog()
        try log.append(drafts)
        let spy = ReadSpy(log)
        let pipeline = try ContextPipeline(log: spy)
        // Told out of order, and one span in two halves: the spans are merged.
        pipeline.replica.passOver(own[2])
        pipeline.replica.passOver(own[0].lowerBound...own[0].lowerBound + 9)
        pipeline.replica.passOver(own[0].lowerBound + 10...own[0].upperBound)
        pipeline.replica.passOver(own[1])
        var time = Self.start + 50 * 60_000
        while time <= Self.start + 2 * 3_600_000 {
            try pipeline.advance(to: time)
            let stepped = Dictionary(uniqueKeysWithValues: try pipeline.plans(Self.graph).map { ($0.asset, try pipeline.packet($0)) })
            #expect(stepped == (try Self.packets(log, at: time)), "at minute \((time - Self.start) / 60_000)")
            time += 60_000
        }
        #expect(spy.read.intersection(own.flatMap { Array($0) }).isEmpty, "no record of a span passed over was read")
        #expect(spy.read.contains(own[0].upperBound + 1), "the market event between two spans was read")
        #expect(spy.read.contains(UInt64(drafts.count)), "the market after the spans was read")
    }

    @Test("a market view moved on keeps untimed market memory only until it changes: Polymarket listings and books as a fresh fold has them")
    func memoryPartsFollowTheFold() throws {
        let market = try marketLedger(hours: 2)
        func listing(_ markets: String, at time: Int64) throws -> [EventDraft] {
            try IngestRequest(source: .polymarket, kind: "markets").drafts(pages: [Array(markets.utf8)], timestampMs: time)
        }
        // A first listing at minute 30; at minute 60 one market's price moves, one closes, one is new.
        let first = #"""
            [{"id":"1","slug":"bitcoin-above-70k","question":"Bitcoin above $70k?","endDate":"2024-06-09T16:00:00Z","active":true,"closed":false,"outcomes":"[\"Yes\",\"No\"]","outcomePrices":"[\"0.61\",\"0.39\"]","volume":"120000","liquidity":"5000"},
             {"id":"2","slug":"btc-up-or-down","question":"BTC up or down?","endDate":"2024-06-03T16:00:00Z","active":true,"closed":false,"outcomes":"[\"Up\",\"Down\"]","outcomePrices":"[\"0.5\",\"0.5\"]","volume":"990000","liquidity":"8000"}]
            """#
        let second = #"""
            [{"id":"1","slug":"bitcoin-above-70k","question":"Bitcoin above $70k?","endDate":"2024-06-09T16:00:00Z","active":true,"closed":false,"outcomes":"[\"Yes\",\"No\"]","outcomePrices":"[\"0.7\",\"0.3\"]","volume":"130000","liquidity":"5000"},
             {"id":"2","slug":"btc-up-or-down","question":"BTC up or down?","endDate":"2024-06-03T16:00:00Z","active":false,"closed":true,"outcomes":"[\"Up\",\"Down\"]","outcomePrices":"[\"1\",\"0\"]","volume":"990000","liquidity":"8000"},
             {"id":"3","slug":"bitcoin-above-80k","question":"Bitcoin above $80k?","endDate":"2024-06-20T16:00:00Z","active":true,"closed":false,"outcomes":"[\"Yes\",\"No\"]","outcomePrices":"[\"0.2\",\"0.8\"]","volume":"40000","liquidity":"900"}]
            """#
        var drafts: [EventDraft] = []
        var listed = 0
        try market.log.forEach(from: 1, filter: .all) { record in
            for (index, (markets, minute)) in [(first, Int64(30)), (second, 60)].enumerated() where listed == index && record.timestampMs > Self.start + minute * 60_000 {
                drafts += try listing(markets, at: Self.start + minute * 60_000)
                listed += 1
            }
            drafts.append(EventDraft(id: record.id, type: record.type, schemaVersion: record.schemaVersion, stream: record.stream,
                                     timestampMs: record.timestampMs, payload: Array(record.payload)))
            return true
        }
        #expect(listed == 2)
        let log = MemoryLog()
        try log.append(drafts)
        let pipeline = try ContextPipeline(log: log)
        var time = Self.start + 20 * 60_000
        var seen: Set<[String]> = []
        while time <= Self.start + 80 * 60_000 {
            try pipeline.advance(to: time)
            let fresh = try ContextPipeline(log: log)
            try fresh.advance(to: time)
            for symbol in ["BTC", "ETH"] {
                let stepped = try pipeline.latest(symbol)
                #expect(stepped == (try fresh.latest(symbol)), "\(symbol) at minute \((time - Self.start) / 60_000)")
                if symbol == "BTC" { seen.insert(stepped?.polymarket.discovery.map(\.marketId) ?? []) }
            }
            time += 60_000
        }
        #expect(seen == [[], ["2", "1"], ["1", "3"]], "the view saw no listing, then the first, then the second")
    }

    /// Notes the sequence of every record a reader took (it asked for the next one, or kept it
    /// as the last it wanted; a record it only looked at to stop before is not noted).
    final class ReadSpy: LogReading, @unchecked Sendable {
        let base: any LogReading
        private(set) var read: Set<UInt64> = []

        init(_ base: any LogReading) { self.base = base }

        var head: LogHead { get throws { try base.head } }

        func forEach(from sequence: UInt64, filter: RecordFilter, _ body: (LogRecord) throws -> Bool) throws {
            try base.forEach(from: sequence, filter: filter) { record in
                let more = try body(record)
                if more { read.insert(record.sequence) }
                return more
            }
        }
    }

    @Test("the same packets after an export and import into another directory, and from the rebuilt SQLite read models")
    func acrossCopies() throws {
        let (directory, ledger) = try Self.onDisk()
        let copy = NSTemporaryDirectory() + "clash-pipeline-copy-\(UUID().uuidString)"
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: copy)
        }
        let original = try Self.packets(ledger.log, at: nil)
        try ledger.project()
        // Market memory on disk holds the whole log, which is the newest time's prefix: its packets are the same.
        let plans = try ledger.marketMemory { try Self.graph.readPlans(universe: MarketUniverse(memory: $0.memory)) }
        let time = try ledger.marketMemory { try $0.newestMs() }
        let fromSQLite = try ledger.marketMemory { memory in
            try plans.map { ContextPacket.build(plan: $0, view: try AssetView(symbol: $0.asset, asOfMs: time, latest: try memory.latest($0.asset, asOfMs: time)),
                                                throughSequence: try ledger.head.sequence) }
        }
        #expect(fromSQLite.map(\.hash) == plans.map { original[$0.asset]!.hash })
        try ledger.close()
        _ = try LogExport.export(directory: directory + "/log", to: directory + "/export.jsonl")
        _ = try LogExport.importLog(from: directory + "/export.jsonl", into: copy + "/log")
        let imported = try Self.packets(try LogReader(directory: copy + "/log"), at: nil)
        #expect(imported == original)
        let reopened = try Ledger.open(directory: directory, fsync: .none)
        try reopened.project()
        try reopened.verifyReplay()
        try reopened.close()
    }

    @Test("golden packet: the seeded market's BTC packet is byte for byte the committed one (synthetic market v1, whose bytes never change)")
    func golden() throws {
        let ledger = try marketLedger(hours: 3, marketVersion: 1)
        let packet = try #require(try Self.packets(ledger.log, at: Self.start + 2 * 3_600_000 + 15 * 60_000)["BTC"])
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        let golden = url.appendingPathComponent("Golden/btc-packet.json")
        if ProcessInfo.processInfo.environment["CLASH_WRITE_GOLDEN"] == "1" { try Data(packet.bytes).write(to: golden) }
        let expected = Array(try Data(contentsOf: golden))
        #expect(packet.bytes == expected, "the packet changed: if on purpose, raise ContextPacket.version and rewrite with CLASH_WRITE_GOLDEN=1")
        #expect(packet.hash == "4cb85b4de8bdafc584b7a411b5c46099fa4026f413e6be172179771b6cb5eddb")
        #expect(packet.staleChannels.allSatisfy { $0.hasPrefix("polymarket.") || $0.hasPrefix("defillama.") })
    }

    static var realRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path + "/shared/fixtures/real"
    }

    @Test("packets from the real recordings: fresh mids, the recorded numbers, the same bytes twice",
          .enabled(if: FileManager.default.fileExists(atPath: realRoot), "the shared real fixtures are not beside the repository; skipped"))
    func realRecordings() throws {
        let log = MemoryLog()
        let at: Int64 = 1_765_584_000_000
        try log.append([try CategoryMapping.event().draft(id: "categories", stream: "source.hyperliquid", timestampMs: at)])
        for (file, request) in try #require(RecordedResponse.files(in: Self.realRoot)).recognized {
            let body = Array(try Data(contentsOf: URL(fileURLWithPath: Self.realRoot + "/" + file)))
            try log.append(try request.drafts(pages: [body], timestampMs: at))
        }
        let graph = StrategyGraph.basic(assets: ["BTC", "ETH", "xyz:TSLA"], prompt: "p", cadence: "5m", risk: "low")
        let packets = try Self.packets(log, at: at, graph: graph)
        #expect(Set(packets.keys) == ["BTC", "ETH", "xyz:TSLA"])
        let btc = try #require(packets["BTC"])
        #expect(!btc.staleChannels.contains("hyperliquid.mids") && !btc.staleChannels.contains("hyperliquid.funding"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(btc.bytes)) as? [String: Any])
        let channels = try #require(json["channels"] as? [String: [String: Any]])
        #expect((channels["defillama.capital_base"]?["data"] as? [String: Any])?["defi_tvl_e2"] as? Int64 == 3_786_431_475_864)
        #expect(try Self.packets(log, at: at, graph: graph) == packets)
    }
}
