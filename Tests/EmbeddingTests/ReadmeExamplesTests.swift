// The README's library examples, as written there (with a temporary directory for the data), so
// that the front door never shows code that does not compile or run.
import Clash
import ClashTesting
import Foundation
import GRDB
import Market
import Testing

@Suite("README examples", .timeLimit(.minutes(5)))
struct ReadmeExamplesTests {
    @Test("the LedgerLog example runs")
    func ledgerLogExample() throws {
        let data = NSTemporaryDirectory() + "clash-readme-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: data) }

        let log = try FileLog.open(directory: data + "/log", options: FileLogOptions(fsync: .batchDefault))
        defer { try? log.close() }

        var payload = CanonicalJSONWriter()                      // canonical JSON: keys in byte order
        payload.beginObject()
        payload.key("funding_e8"); payload.int(1_250)
        payload.key("mid_e8"); payload.int(6_512_345_000_000)
        payload.key("open_interest_e2"); payload.int(98_765_432_100)
        payload.key("symbol"); payload.string("BTC-PERP")
        payload.endObject()

        let tick = EventDraft(id: "hl-BTC-1717200000000", type: "market.tick", stream: "market.BTC-PERP",
                              timestampMs: 1_717_200_000_000, payload: payload.bytes)
        try log.append([tick], expecting: .noStream, on: "market.BTC-PERP")   // durable when it returns

        let records = try log.read(stream: "market.BTC-PERP")
        #expect(records.map { String(decoding: $0.payload, as: UTF8.self) }
                == [#"{"funding_e8":1250,"mid_e8":6512345000000,"open_interest_e2":98765432100,"symbol":"BTC-PERP"}"#])
        #expect(log.head.chain.hex.count == 64)

        let memory: any LogStore = MemoryLog()
        try memory.append([tick])
        #expect(try memory.head == log.head)
    }

    @Test("the Clash example runs")
    func clashExample() throws {
        let clock = ManualClock(startMilliseconds: 1_717_200_000_000)
        let ledger = try Ledger.forTesting(seed: 42, clock: clock)        // in memory; Ledger.open(directory:) on disk
        try ledger.append(type: "market.tick", stream: "market.BTC-PERP",
                          payload: ["symbol": "BTC-PERP", "mid_e8": 6_512_345_000_000, "funding_e8": 1_250, "open_interest_e2": 98_765_432_100])
        clock.advance(byMilliseconds: 61_000)
        try ledger.appendTicks(5_000, seed: 3)                            // seeded synthetic market
        let mid = try ledger.queries.rows("market_ticks", sql: "SELECT mid_e8 FROM latest_tick WHERE symbol = ?", arguments: ["BTC-PERP"])
        #expect(mid.first?.int("mid_e8") != nil)
        try ledger.verifyReplay()                                         // rebuilt from the log == live, byte for byte
        #expect(try ledger.stateHash().count == 64)
    }

    @Test("the market memory example runs")
    func marketMemoryExample() throws {
        let data = NSTemporaryDirectory() + "clash-readme-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: data) }
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let recorded = #"[{"universe":[{"szDecimals":5,"name":"BTC","maxLeverage":40},{"szDecimals":2,"name":"SOL","maxLeverage":20}]},[{"funding":"0.0000125","openInterest":"25877.14916","prevDayPx":"113776.0","dayNtlVlm":"3677355032.5","premium":"-0.0002298729","oraclePx":"113106.0","markPx":"113080.0","midPx":"113079.5","impactPxs":["113079.0","113080.0"]},{"funding":"0.00001","openInterest":"10","prevDayPx":"180.0","dayNtlVlm":"5.0","premium":null,"oraclePx":"181.0","markPx":"181.0","midPx":null,"impactPxs":null}]]"#
        try recorded.write(toFile: data + "/metaAndAssetCtxs.json", atomically: true, encoding: .utf8)

        let ledger = try Ledger.open(directory: data + "/clash-data")
        let request = try IngestRequest(source: .hyperliquid, kind: "metaAndAssetCtxs")
        let body = Array(try Data(contentsOf: URL(fileURLWithPath: data + "/metaAndAssetCtxs.json")))  // or: try MarketSources().fetch(request)
        try ledger.append(try request.drafts(pages: [body], timestampMs: 1_765_584_000_000))      // once: the same body again writes nothing
        try ledger.append([try CategoryMapping.event().draft(id: "categories-v1", stream: "source.hyperliquid",
                                                             timestampMs: 1_765_584_000_000)])
        let layer1 = try ledger.queries.assets(category: "Crypto/Layer 1")                 // the Asset Block's rule
        let btc = try ledger.queries.latest("BTC")                                         // what a packet on BTC receives
        #expect(layer1.map(\.symbol) == ["BTC", "SOL"])
        #expect(btc?.funding.currentE12 == 12_500_000)
        #expect(btc?.price?.midE8 == 11_307_950_000_000)
        #expect(try ledger.append(try request.drafts(pages: [body], timestampMs: 1_765_584_000_000)).written == false)
        try ledger.close()
    }

    @Test("the clones and context packets example runs")
    func clonesExample() throws {
        let directory = NSTemporaryDirectory() + "clash-readme-clones-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let setup = try Ledger.open(directory: directory, fsync: .none)
            try setup.append([try CategoryMapping.event().draft(id: "categories", stream: "source.hyperliquid", timestampMs: 1_717_200_000_000)])
            try setup.append(Array(SyntheticMarket(seed: 1, assets: 6, hours: 24)))
            try setup.close()
        }
        var printed: [String] = []
        func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }

        // As in the README:
        let ledger = try Ledger.open(directory: directory)
        let graph = StrategyGraph.basic(category: "Crypto/Layer 1", prompt: "Follow the 1h trend", cadence: "5m", risk: "low")
        let (cloneId, hash) = try ledger.createClone(owner: "0x8ba1f109551bd432803012645ac136ddd64dba72",
                                                     identity: .init(name: "Layer One Trend", avatarText: "L1", tagline: ""), graph: graph)
        let pipeline = try ContextPipeline(log: ledger.log)
        try pipeline.advance(to: 1_717_286_340_000)                  // the market as of t, folded in memory
        for plan in try pipeline.plans(try ledger.strategy(of: cloneId)) {
            let packet = try pipeline.packet(plan)                     // canonical bytes, SHA-256, stale channels
            print(plan.asset, packet.hash, packet.staleChannels, hash)
        }

        try ledger.close()
        #expect(printed.count >= 3 && printed.allSatisfy { $0.hasSuffix(hash) })
        #expect(printed.contains { $0.hasPrefix("BTC ") })
    }
}
