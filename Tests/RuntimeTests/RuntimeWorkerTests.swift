import Clash
import ClashTesting
import Foundation
import Market
import Testing

/// The real-time runtime: a worker following a log that ingestion appends to.
@Suite("the runtime worker", .timeLimit(.minutes(5)))
struct RuntimeWorkerTests {
    static let start: Int64 = 1_717_200_000_000

    /// A ledger with the category mapping and a clone trading Layer 1 every 5 minutes; the market
    /// of `hours` hours is handed out as ingestion would append it, by time.
    final class Feed {
        let ledger: Ledger
        var market: [EventDraft]
        init(hours: Int) throws {
            ledger = try Ledger.forTesting(seed: 3, clock: ManualClock(startMilliseconds: RuntimeWorkerTests.start))
            try ledger.append([try CategoryMapping.event().draft(id: "categories", stream: "source.hyperliquid", timestampMs: RuntimeWorkerTests.start)])
            market = Array(SyntheticMarket(seed: 11, assets: 6, hours: hours))
            try appendMarket(through: RuntimeWorkerTests.start + 3_600_000)
            var graph = StrategyGraph.basic(category: "Crypto/Layer 1", prompt: "trade", cadence: "5m", risk: "medium").convertedUp().convertedUp()
            let prompt = graph.blocks.firstIndex { $0.kind == "trading_prompt" }!
            graph.blocks[prompt].rule = "momentum"
            try ledger.createClone(id: "c-1", owner: TradingRunTests.owner, identity: .init(name: "W", avatarText: "", tagline: ""), graph: graph)
        }

        /// Appends the market events stamped up to `time`, as ingestion would by then.
        func appendMarket(through time: Int64) throws {
            let ready = market.prefix { $0.timestampMs <= time }
            if !ready.isEmpty { try ledger.append(Array(ready)) }
            market.removeFirst(ready.count)
        }

        func worker() throws -> RuntimeWorker {
            try RuntimeWorker(log: ledger.log, artifacts: ledger.artifacts, settings: .init()) { _ in RulesEngine(seed: 5) }
        }

        func records(_ type: String) throws -> [LogRecord] {
            try (ledger.log.read(stream: "run.c-1.free") + ledger.log.read(stream: "account.c-1.free")).filter { $0.type == type }
        }
    }

    @Test("a worker fed minute by minute runs every run due, on time, and trades as the simulated clock does over the same span")
    func followsAppends() throws {
        let feed = try Feed(hours: 3)
        let worker = try feed.worker()
        let first = Self.start + 3_600_000
        let end = first + 60 * 60_000
        var time = first
        while time <= end {
            try feed.appendMarket(through: time)
            let cycle = try worker.cycle()
            #expect(cycle.marketMs == time && cycle.skipped == 0)
            time += 60_000
        }
        let dues = try feed.records(RunDue.type)
        #expect(dues.count == 13 * 5, "13 five-minute marks over the hour, 5 Layer 1 assets of the 6")
        #expect(try feed.records(RunSkipped.type).isEmpty)
        // The simulated clock over the same span, on a log holding the whole market at once.
        let simulated = try Feed(hours: 3)
        try simulated.appendMarket(through: .max)
        let summary = try TradingRun(log: simulated.ledger.log, artifacts: simulated.ledger.artifacts, graph: try simulated.ledger.strategy(of: "c-1"),
                                     engine: RulesEngine(seed: 5),
                                     settings: .init(cloneId: "c-1", competitionId: "free", fromMs: first, toMs: end + 1)).run()
        func fills(_ log: any LogReading) throws -> [String] {
            try log.read(stream: "account.c-1.free").filter { $0.type == Fill.type }.map { record in
                let fill = try EventCatalog.decode(record, as: Fill.self)
                return "\(record.timestampMs) \(fill.asset) \(fill.side) \(fill.sizeE8) \(fill.priceE8) \(fill.feeE6)"
            }
        }
        #expect(summary.runs == dues.count)
        #expect(try fills(feed.ledger.log) == fills(simulated.ledger.log) && !fills(simulated.ledger.log).isEmpty, "the same fills at the same prices")
    }

    @Test("a worker that was down records the runs it missed as skipped, runs only what is due now, and pays every hour's funding")
    func skipsWhatItMissed() throws {
        let feed = try Feed(hours: 5)
        let first = Self.start + 3_600_000
        try feed.appendMarket(through: first)
        _ = try feed.worker().cycle()
        let before = try feed.records(RunDue.type).count
        #expect(before == 5)
        // Down for two hours and a half; a new worker starts on the same log.
        let now = first + 150 * 60_000
        try feed.appendMarket(through: now)
        let cycle = try feed.worker().cycle()
        let dues = try feed.records(RunDue.type)
        #expect(dues.count == before + 5, "only the runs due now")
        #expect(dues.suffix(5).allSatisfy { $0.timestampMs == now })
        let skipped = try feed.records(RunSkipped.type).map { try EventCatalog.decode($0, as: RunSkipped.self) }
        #expect(skipped.count == 29 && cycle.skipped == 29, "every 5-minute mark strictly between")
        #expect(skipped.allSatisfy { $0.assets.count == 5 && $0.caughtUpMs == now && $0.dueMs > first && $0.dueMs < now })
        let fundingHours = Set(try feed.records(FundingPaid.type).map(\.timestampMs))
        #expect(fundingHours.isSubset(of: [first + 3_600_000, first + 7_200_000]), "funding on the hours stepped through, none late")
        // A worker restarted with no new market writes nothing.
        let head = try feed.ledger.head.sequence
        #expect(try feed.worker().cycle().events == 0)
        #expect(try feed.ledger.head.sequence == head)
    }

    @Test("a retired clone is not traded; a clone created while the worker runs joins at the next cycle")
    func clonesJoinAndLeave() throws {
        let feed = try Feed(hours: 3)
        let worker = try feed.worker()
        let first = Self.start + 3_600_000
        try feed.appendMarket(through: first)
        _ = try worker.cycle()
        try feed.ledger.createClone(id: "c-2", owner: TradingRunTests.owner, identity: .init(name: "X", avatarText: "", tagline: ""),
                                    graph: StrategyGraph.basic(category: "Crypto/Layer 1", prompt: "p", cadence: "5m", risk: "low"))
        try feed.ledger.retireClone("c-1", owner: TradingRunTests.owner)
        try feed.appendMarket(through: first + 5 * 60_000)
        _ = try worker.cycle()
        let secondRuns = try feed.ledger.log.read(stream: "run.c-2.free").filter { $0.type == RunDue.type }
        #expect(secondRuns.count == 5 && secondRuns.allSatisfy { $0.timestampMs == first + 5 * 60_000 })
        #expect(try feed.records(RunDue.type).allSatisfy { $0.timestampMs == first }, "the retired clone ran no more")
    }

    /// A universe of the synthetic market's six assets, `delisted` among them delisted.
    static func universe(at time: Int64, delisted: Set<String> = [], id: String) throws -> EventDraft {
        let symbols = SyntheticMarket(seed: 11, assets: 6, hours: 1).symbols
        let assets = symbols.enumerated().map { index, symbol in
            HyperliquidUniverse.UniverseAsset(symbol: symbol, index: Int64(index), kind: "perp", quote: "USDC", sizeDecimals: 3,
                                              maxLeverage: index < 2 ? 40 : 20, onlyIsolated: false, delisted: delisted.contains(symbol))
        }
        return try HyperliquidUniverse(dex: "", assets: assets).draft(id: id, stream: "source.hyperliquid", timestampMs: time)
    }

    static func clone(_ ledger: Ledger, _ id: String, asset: String) throws {
        var graph = StrategyChoices(assets: [asset], prompt: "p", cadence: "5m", risk: "high").graph(.custom).convertedUp()
        graph.blocks[graph.blocks.firstIndex { $0.kind == "trading_prompt" }!].rule = "momentum"
        try ledger.createClone(id: id, owner: TradingRunTests.owner, identity: .init(name: id, avatarText: "", tagline: ""), graph: graph)
    }

    @Test("a worker started right after the first ingest, whose universe came later in the newest minute, waits for the minute its assets are known instead of dying, then trades")
    func startsClean() throws {
        let ledger = try Ledger.forTesting(seed: 3, clock: ManualClock(startMilliseconds: Self.start))
        try ledger.append([try CategoryMapping.event().draft(id: "categories", stream: "source.hyperliquid", timestampMs: Self.start)])
        var market = Array(SyntheticMarket(seed: 11, assets: 6, hours: 1)).filter { $0.type != HyperliquidUniverse.type }
        // As a first live poll leaves it: the minute's mids first, the universe 37 seconds into the minute.
        let firstMinute = market.prefix { $0.timestampMs == Self.start }
        try ledger.append(Array(firstMinute) + [try Self.universe(at: Self.start + 37_000, id: "universe-1")])
        market.removeFirst(firstMinute.count)
        try Self.clone(ledger, "c-1", asset: "BTC")
        let worker = try RuntimeWorker(log: ledger.log, artifacts: ledger.artifacts, settings: .init()) { _ in RulesEngine(seed: 5) }
        let first = try worker.cycle()
        #expect(first.marketMs == Self.start && first.runs == 0 && first.waiting == ["c-1": "asset.unknown_asset"], "\(first)")
        var time = Self.start + 60_000
        while time <= Self.start + 12 * 60_000 {
            let ready = market.prefix { $0.timestampMs <= time }
            try ledger.append(Array(ready))
            market.removeFirst(ready.count)
            let cycle = try worker.cycle()
            #expect(cycle.waiting.isEmpty, "\(cycle)")
            time += 60_000
        }
        let dues = try ledger.log.read(stream: "run.c-1.free").filter { $0.type == RunDue.type }.map(\.timestampMs)
        #expect(dues == [Self.start + 5 * 60_000, Self.start + 10 * 60_000], "it trades from the first cadence mark its asset is known: \(dues)")
        let skipped = try ledger.log.read(stream: "run.c-1.free").filter { $0.type == RunSkipped.type }.map { try EventCatalog.decode($0, as: RunSkipped.self) }
        #expect(skipped.map(\.dueMs) == [Self.start] && skipped.allSatisfy { $0.reason == "strategy_invalid" && $0.problem == "asset.unknown_asset" && $0.assets == ["BTC"] },
                "the run due while BTC was unknown is recorded as skipped, with why")
    }

    @Test("one clone's trouble stops no other: an asset delisted part-way sets its clone waiting while the rest trade on, and it resumes once relisted")
    func oneClonesTrouble() throws {
        let feed = try Feed(hours: 4)
        try Self.clone(feed.ledger, "c-2", asset: "BTC")
        try Self.clone(feed.ledger, "c-3", asset: "ETH")
        let delistedAt = Self.start + 2 * 3_600_000, relistedAt = Self.start + 3 * 3_600_000
        feed.market.insert(try Self.universe(at: delistedAt, delisted: ["ETH"], id: "universe-eth-delisted"),
                           at: feed.market.firstIndex { $0.timestampMs >= delistedAt }!)
        feed.market.insert(try Self.universe(at: relistedAt, id: "universe-eth-relisted"), at: feed.market.firstIndex { $0.timestampMs >= relistedAt }!)
        let worker = try feed.worker()
        var time = Self.start + 3_600_000
        var waitedMinutes = 0
        while time <= Self.start + 3 * 3_600_000 + 30 * 60_000 {
            try feed.appendMarket(through: time)
            let cycle = try worker.cycle()
            if cycle.waiting["c-3"] != nil { waitedMinutes += 1 }
            #expect(cycle.waiting["c-2"] == nil && cycle.waiting["c-1"] == nil, "\(cycle)")
            time += 60_000
        }
        #expect(waitedMinutes == 60, "c-3 waited through the hour ETH was delisted")
        func dues(_ clone: String) throws -> [Int64] {
            try feed.ledger.log.read(stream: "run.\(clone).free").filter { $0.type == RunDue.type }.map(\.timestampMs)
        }
        let btc = try dues("c-2"), eth = try dues("c-3")
        #expect(btc.count == 150 / 5 + 1 && btc.contains { $0 > delistedAt && $0 < relistedAt }, "c-2 traded on: \(btc.count) runs")
        #expect(!eth.contains { $0 >= delistedAt && $0 < relistedAt } && eth.contains { $0 < delistedAt } && eth.contains { $0 > relistedAt },
                "c-3 stopped while ETH was delisted and resumed")
        let skipped = try feed.ledger.log.read(stream: "run.c-3.free").filter { $0.type == RunSkipped.type }.map { try EventCatalog.decode($0, as: RunSkipped.self) }
        #expect(skipped.count == 12 && skipped.allSatisfy { $0.reason == "strategy_invalid" && $0.problem == "asset.unknown_asset" && $0.assets == ["ETH"] },
                "each run due in the delisted hour recorded as skipped, with why: \(skipped.map(\.dueMs))")
        // The log the worker wrote folds into the read models as a fresh rebuild does.
        try feed.ledger.verifyReplay()
    }
}
