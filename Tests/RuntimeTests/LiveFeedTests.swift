import Clash
import ClashTesting
import Foundation
import Market
import Testing

/// The live path end to end: ingestion polling a stand-in for Hyperliquid's `/info` (the recorded
/// universe of 2026-02-06, prices moving), the candle feed, and the runtime worker, minute by minute
/// on a clock the test moves.
@Suite("the live path against a stand-in Hyperliquid", .timeLimit(.minutes(5)))
struct LiveFeedTests {
    static var universeFile: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path + "/shared/fixtures/real/hyperliquid/metaAndAssetCtxs_dex-default_2026-02-06.json"
    }

    /// 2026-02-06 00:00 UTC, the recording's day.
    static let start: Int64 = 1_770_336_000_000
    static let minutes = 30
    static let delistMinute = 16
    static let delistedAt = start + Int64(delistMinute) * 60_000

    /// What the worker wrote, and what each cycle did.
    struct LiveRun {
        let ledger: Ledger
        let cycles: [RuntimeWorker.Cycle]
    }

    static let clones = ["live-bot": ["BTC", "ETH", "SOL"], "steady": ["BTC", "ETH"]]

    static func graph(_ assets: [String]) -> StrategyGraph {
        var graph = StrategyChoices(assets: assets, prompt: "momentum", cadence: "1m", risk: "high").graph(.basic).convertedUp().convertedUp()
        graph.blocks[graph.blocks.firstIndex { $0.kind == "trading_prompt" }!].rule = "momentum"
        return graph
    }

    /// The steps a deployment takes: a first ingest, two clones created (one trading SOL, which the
    /// exchange delists at minute 16), then each minute the polled requests, the due candles and a
    /// worker cycle.
    static func runLive() throws -> LiveRun {
        let clock = ManualClock(startMilliseconds: start)
        func move(to time: Int64) { clock.advance(byMilliseconds: time - clock.nowMilliseconds()) }
        let exchange = try StandInHyperliquid(universeFile: universeFile, now: { clock.nowMilliseconds() }, delistedFrom: ["SOL": delistedAt])
        defer { exchange.stop() }
        let ledger = try Ledger.forTesting(seed: 3, clock: clock)
        var urls = MarketSources.BaseURLs()
        urls.hyperliquid = exchange.baseURL.absoluteString
        let candles = CandleFeed()
        let jobs = PollSchedule.standard(sources: [.hyperliquid], books: ["BTC"]).filter { ["metaAndAssetCtxs", "allMids", "l2Book"].contains($0.request.kind) }
        let poller = Poller(jobs: jobs, candles: candles, sources: try MarketSources(urls: urls, policy: ClientPolicy(baseURL: exchange.baseURL, minimumIntervalMilliseconds: 0)),
                            log: ledger.log, now: { clock.nowMilliseconds() })
        func pollAll() throws {
            for job in poller.jobs {
                if case let .failed(request, error, _, _) = try poller.poll(job.request) { Issue.record("\(request) failed: \(error)") }
            }
        }
        try ledger.append([try CategoryMapping.event().draft(id: "categories", stream: "source.hyperliquid", timestampMs: start)])
        move(to: start + 1_000)
        try pollAll()
        for (id, assets) in clones.sorted(by: { $0.key < $1.key }) {
            try ledger.createClone(id: id, owner: TradingRunTests.owner, identity: .init(name: id, avatarText: "", tagline: ""), graph: graph(assets))
        }
        let worker = try RuntimeWorker(log: ledger.log, artifacts: ledger.artifacts, settings: .init()) { _ in RulesEngine(seed: 5) }
        var cycles: [RuntimeWorker.Cycle] = []
        for minute in 0..<minutes {
            let time = start + Int64(minute) * 60_000
            if minute > 0 {
                move(to: time + 1_000)
                try pollAll()
            }
            move(to: time + 2_000)
            for outcome in try poller.pollCandles() {
                if case let .failed(request, error, _, _) = outcome { Issue.record("\(request) failed: \(error)") }
            }
            cycles.append(try worker.cycle())
            candles.want(reads: try worker.candleReads())
        }
        return LiveRun(ledger: ledger, cycles: cycles)
    }

    static func records(_ log: any LogReading, _ stream: String, _ type: String) throws -> [LogRecord] {
        try log.read(stream: stream).filter { $0.type == type }
    }

    @Test("live: the worker trades from the first minute the assets are listed, a delisted asset's clone is skipped with its reason while the other trades on, packets carry fresh exchange candles, the universe is logged only when it changes, and a replay gives the same packets and fills")
    func liveEndToEnd() throws {
        guard FileManager.default.fileExists(atPath: Self.universeFile) else {
            print("skipped: the recorded universe (../shared/fixtures/real) is absent")
            return
        }
        let live = try Self.runLive()
        let log = live.ledger.log
        let minute: Int64 = 60_000

        // It starts clean: at the first ingest's minute the universe is stamped after the minute's
        // start, so both clones wait; they trade from the next minute on.
        #expect(live.cycles[0].waiting.keys.sorted() == ["live-bot", "steady"] && live.cycles[0].runs == 0, "\(live.cycles[0])")
        let steadyDues = try Self.records(log, "run.steady.free", RunDue.type).map(\.timestampMs)
        let expected = (1..<Self.minutes).flatMap { [Self.start + Int64($0) * minute, Self.start + Int64($0) * minute] }
        #expect(steadyDues == expected, "steady ran BTC and ETH every minute from minute 1, through the delisting")

        // SOL delisted at minute 16 (seen from the step of minute 17): live-bot's runs are skipped with why.
        let botDues = try Self.records(log, "run.live-bot.free", RunDue.type).map(\.timestampMs)
        #expect(botDues.min() == Self.start + minute && botDues.max()! < Self.delistedAt + minute && botDues.count == Self.delistMinute * 3, "\(botDues.count) runs")
        let skipped = try Self.records(log, "run.live-bot.free", RunSkipped.type).map { try EventCatalog.decode($0, as: RunSkipped.self) }
        #expect(skipped.map(\.dueMs) == [Self.start] + (Self.delistMinute + 1..<Self.minutes).map { Self.start + Int64($0) * minute }
                && skipped.allSatisfy { $0.reason == "strategy_invalid" && $0.problem == "asset.unknown_asset" && $0.assets == ["BTC", "ETH", "SOL"] },
                "\(skipped.map { "\($0.dueMs) \($0.reason) \($0.problem ?? "-")" }.prefix(4))")
        #expect(live.cycles.suffix(Self.minutes - Self.delistMinute - 1).allSatisfy { $0.waiting.keys.sorted() == ["live-bot"] })

        // The clones trade: momentum on the moving prices opens and closes positions.
        let fills = try Self.records(log, "account.steady.free", Fill.type).count
        #expect(fills >= 2, "steady filled \(fills) orders")

        // Packets carry exchange candles, fresh: from the step after the backfill, each BTC packet's
        // newest 5-minute candle is the newest one closed when the previous minute's candles were asked for.
        let contexts = try Self.records(log, "run.steady.free", ContextAssembled.type).map { try EventCatalog.decode($0, as: ContextAssembled.self) }
        let dues = try Self.records(log, "run.steady.free", RunDue.type).map { (at: $0.timestampMs, asset: try EventCatalog.decode($0, as: RunDue.self).asset) }
        var checked = 0
        for (due, context) in zip(dues, contexts) where due.asset == "BTC" && due.at >= Self.start + 3 * minute {
            let packet = try JSONSerialization.jsonObject(with: Data(try live.ledger.artifacts.get(context.packetHash))) as! [String: Any]
            let channels = packet["channels"] as! [String: Any]
            let five = (channels["hyperliquid.candles.5m"] as! [String: Any])
            let hour = (channels["hyperliquid.candles.1h"] as! [String: Any])
            let fiveOpens = (five["data"] as! [[String: Any]]).map { ($0["open_ms"] as! NSNumber).int64Value }
            let askedAt = due.at - minute + 2_000
            let newestClosed = askedAt - askedAt % 300_000 - 300_000
            #expect(fiveOpens.last == newestClosed && fiveOpens.count == 24 && five["stale"] as? Bool == false, "at \(due.at): \(fiveOpens.suffix(2))")
            #expect((hour["data"] as! [Any]).count == 24 && hour["stale"] as? Bool == false)
            checked += 1
        }
        #expect(checked == Self.minutes - 3)

        // Logged only when changed: the universe twice (the first poll, the delisting) in 30 polls.
        let universes = try log.read(stream: "source.hyperliquid").filter { $0.type == HyperliquidUniverse.type }
        #expect(universes.map(\.timestampMs) == [Self.start + 1_000, Self.delistedAt + 1_000])
        // Each candle series is asked for as it closes, never twice for the same candle.
        let candleEvents = try log.read(from: 1).filter { $0.type == HyperliquidCandles.type }.map { try EventCatalog.decode($0, as: HyperliquidCandles.self) }
        var seen = Set<String>()
        for event in candleEvents { for candle in event.candles { #expect(seen.insert("\(event.symbol) \(event.interval) \(candle.openMs)").inserted) } }
        #expect(!candleEvents.contains { $0.symbol == "SOL" && $0.candles.contains { $0.closeMs >= Self.delistedAt + minute } }, "no SOL candles after its delisting")

        // The log it wrote, replayed: the read models fold as a fresh rebuild, and each clone's
        // span, run again in simulated time over the logged market, makes every event the worker
        // logged — packets, decisions, fills, skips — byte for byte, and no other.
        try live.ledger.verifyReplay()
        for id in Self.clones.keys.sorted() {
            let recomputed = ReplayLog(log)
            _ = try TradingRun(log: recomputed, artifacts: live.ledger.artifacts, graph: try live.ledger.strategy(of: id), engine: RulesEngine(seed: 5),
                               settings: .init(cloneId: id, competitionId: "free", fromMs: Self.start, toMs: Self.start + Int64(Self.minutes) * minute)).run()
            let logged = try log.read(stream: "run.\(id).free") + log.read(stream: "account.\(id).free")
            let made = Dictionary(recomputed.drafts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(Set(made.keys) == Set(logged.map(\.id)) && logged.count > 100, "\(id): \(logged.count) logged, \(made.count) recomputed")
            let differing = logged.filter { record in made[record.id].map { $0.type != record.type || $0.payload != Array(record.payload) } ?? false }
            #expect(differing.isEmpty, "\(id): \(differing.count) events differ, first \(differing.first.map { "\($0.type) \($0.id)" } ?? "-")")
            #expect(logged.contains { $0.type == ContextAssembled.type } && (id == "live-bot" || logged.contains { $0.type == Fill.type }))
        }
    }
}

/// The live log as a replay sees it: reads go to the log, appends are kept instead of written.
final class ReplayLog: LogStore, @unchecked Sendable {
    let logged: any LogStore
    private(set) var drafts: [EventDraft] = []

    init(_ logged: any LogStore) { self.logged = logged }

    var head: LogHead { get throws { try logged.head } }
    func forEach(from sequence: UInt64, filter: RecordFilter, _ body: (LogRecord) throws -> Bool) throws {
        try logged.forEach(from: sequence, filter: filter, body)
    }
    func refresh() throws { try logged.refresh() }
    func append(_ drafts: [EventDraft], expectations: [String: ExpectedVersion]) throws -> AppendResult {
        self.drafts += drafts
        return AppendResult(firstSequence: 0, lastSequence: 0, written: false)
    }
    func streamVersion(_ stream: String) throws -> UInt64 { try logged.streamVersion(stream) }
    func close() throws {}
}
