import Clash
import ClashTesting
import Foundation
import Market
import Testing

/// What each risk preset lets a bot come to when the market gaps: a flash crash such as the one of
/// 10 October 2025, when Hyperliquid's alts fell 20 % and more within minutes.
@Suite("risk presets through a flash crash", .timeLimit(.minutes(5)))
struct RiskOutcomeTests {
    static let owner = "0x8ba1f109551bd432803012645ac136ddd64dba72"
    static let start: Int64 = 1_717_200_000_000
    static let from = start + 3_600_000
    static let to = from + 2 * 3_600_000
    /// The minute every asset's mid is 19 % lower, for that minute only.
    static let crash = from + 90 * 60_000

    /// Goes long every asset it may (the preset's account limit shared by its positions) at the
    /// leverage it may use, with a stop loss 2 % under the mid, and holds.
    struct AllInEngine: DecisionEngine {
        var name: String { "all_in" }
        var version: Int64 { 1 }
        func decide(_ input: EngineInput) throws -> EngineAnswer {
            guard input.position == nil, let latest = input.latest, let mid = latest.price?.midE8 else { return .init(decision: .hold("holding")) }
            let execution = input.plan.execution
            let size = min(execution.maxOrderNotionalUsd, execution.maxAccountNotionalUsd / execution.maxOpenPositions)
            return .init(decision: Decision(action: .openLong, sizeUsdE6: size * 1_000_000,
                                            leverage: min(execution.maxLeverage, latest.maxLeverage), stopLossE8: mid - mid / 50,
                                            takeProfitE8: mid + mid / 5, confidenceBp: 10_000, reason: "all in"))
        }
    }

    /// Three hours of six assets with every mid 19 % down at `crash`, and a clone at each preset.
    static func crashedMarket() throws -> (Ledger, [StrategyGraph]) {
        let ledger = try Ledger.forTesting(seed: 4, clock: ManualClock(startMilliseconds: start + 3 * 3_600_000))
        try ledger.append([try CategoryMapping.event().draft(id: "categories", stream: "source.hyperliquid", timestampMs: start)])
        var market = Array(SyntheticMarket(seed: 4, assets: 6, hours: 3))
        let symbols = SyntheticMarket(seed: 4, assets: 6, hours: 1).symbols
        // The crash's mids, logged in time order right after the minute's own ticks.
        let ticks = try market.filter { $0.type == MarketTick.type && $0.timestampMs == crash }.map { draft in
            try JSONDecoder().decode(MarketTick.self, from: Data(draft.payload))
        }
        #expect(ticks.count == symbols.count)
        let crashed = try ticks.map { tick in
            try MarketTick(symbol: tick.symbol, midE8: tick.midE8 - tick.midE8 * 19 / 100, fundingE8: tick.fundingE8, openInterestE2: tick.openInterestE2)
                .draft(id: "crash-\(tick.symbol)", stream: Streams.market(tick.symbol), timestampMs: crash)
        }
        market.insert(contentsOf: crashed, at: market.firstIndex { $0.timestampMs > crash }!)
        try ledger.append(market)
        let graphs = RiskPreset.names.map { StrategyChoices(assets: symbols, prompt: "all in", cadence: "5m", risk: $0, sources: ["price"]).graph(.custom).convertedUp() }
        for (index, graph) in graphs.enumerated() {
            try ledger.createClone(id: "c-\(index + 1)", owner: owner, identity: .init(name: RiskPreset.names[index], avatarText: "", tagline: ""), graph: graph)
        }
        return (ledger, graphs)
    }

    static func trade(_ ledger: Ledger, _ graph: StrategyGraph, clone index: Int, fillPolicy: Int64) throws -> (summary: TradingRun.Summary, events: [LogRecord]) {
        let id = "c-\(index + 1)", competition = "crash-v\(fillPolicy)"
        var settings = TradingRun.Settings(cloneId: id, competitionId: competition, fromMs: from, toMs: to, storePackets: false)
        settings.fillPolicy = fillPolicy
        let summary = try TradingRun(log: ledger.log, artifacts: ledger.artifacts, graph: graph, engine: AllInEngine(), settings: settings).run()
        return (summary, try ledger.log.read(stream: "account.\(id).\(competition)"))
    }

    @Test("a flash crash liquidates the high-risk bot (5× its equity) at the crash's marks, before its stops are filled there; the low and medium bots are closed by their stops; fill policy v1 filled the high bot's stops at those marks instead and recorded no liquidation")
    func flashCrash() throws {
        let (ledger, graphs) = try Self.crashedMarket()
        for (index, risk) in RiskPreset.names.enumerated() {
            let (summary, events) = try Self.trade(ledger, graphs[index], clone: index, fillPolicy: FillPolicy.version)
            let atCrash = events.filter { $0.timestampMs == Self.crash }
            let liquidated = try atCrash.filter { $0.type == Liquidated.type }.map { try EventCatalog.decode($0, as: Liquidated.self) }
            let stopped = try atCrash.filter { $0.type == Fill.type }.map { try EventCatalog.decode($0, as: Fill.self) }.filter { $0.cause == "stop_loss" }
            #expect(summary.fills > 0, "\(risk): long before the crash")
            if risk == "high" {
                #expect(!liquidated.isEmpty && stopped.isEmpty, "high: every position liquidated at the crash, no stop filled there")
                let equity = try #require(liquidated.first?.equityE6)
                #expect(equity < liquidated.reduce(0) { $0 + $1.maintenanceMarginE6 }, "under maintenance margin at the crash's marks")
                #expect(summary.liquidations == 1)
            } else {
                #expect(liquidated.isEmpty && !stopped.isEmpty, "\(risk): closed by its stops at the crash")
                #expect(summary.account.equityE6(marks: summary.marks) > 8_000_000_000, "\(risk): most of its equity left")
            }
        }
        // Under v1 the stops were filled first at the same marks: the account ends under maintenance with nothing liquidated.
        let (v1, events) = try Self.trade(ledger, graphs[2], clone: 2, fillPolicy: 1)
        #expect(v1.liquidations == 0 && !events.filter { $0.timestampMs == Self.crash && $0.type == Fill.type }.isEmpty)
        #expect(events.allSatisfy { $0.type != Fill.type || (try? EventCatalog.decode($0, as: Fill.self).fillPolicy) == 1 }, "fills record their policy")
    }
}
