import ClashCore
import Domain
import Testing

@Suite("the rules engine, version 1 (the logs it decided replay with it)", .timeLimit(.minutes(5)))
struct RuleEngineTests {
    static let controls = StrategyGraph.ExecutionControls(maxLeverage: 5, maxOrderNotionalUsd: 1_000, maxAccountNotionalUsd: 4_000,
                                                          maxOpenPositions: 2, allowedActions: ["open_long", "open_short", "close", "hold"])

    static func plan(_ rule: String, channels: [PlannedChannel] = [.init(source: "hyperliquid", name: "candles", interval: "5m", lookback: 4),
                                                                   .init(source: "hyperliquid", name: "funding"),
                                                                   .init(source: "hyperliquid", name: "mids")]) -> ReadPlan {
        ReadPlan(prompt: "prompt", asset: "BTC", cadenceMs: 300_000, channels: channels, execution: controls, rule: rule)
    }

    /// Closes of 5m candles, and a mid, as market memory would give them.
    static func market(closes: [Int64], mid: Int64, fundingE12: Int64 = 0) -> AssetLatest {
        let candles = closes.enumerated().map { AssetLatest.Candle(openMs: Int64($0.offset) * 300_000, openE8: $0.element, highE8: $0.element,
                                                                     lowE8: $0.element, closeE8: $0.element) }
        return AssetLatest(symbol: "BTC", dex: "", kind: "perp", quote: "USDC", maxLeverage: 40, delisted: false, asOfMs: 1_200_000,
                           price: .init(midE8: mid, ts: 1_200_000), candles: ["5m": candles], funding: .init(currentE12: fundingE12))
    }

    @Test("momentum opens with the trend: half the per-order notional, 2x, a 2% stop and a 3% target")
    func momentumOpens() {
        // +100 bp over the last 4 closes (the lookback), above any seeded threshold (16 to 24 bp).
        let market = Self.market(closes: [90, 100, 100, 100, 101].map { $0 * 1_000_000_000 }, mid: 101_000_000_000)
        let decision = RuleEngine.decide(plan: Self.plan("momentum"), latest: market, position: nil, seed: 7, version: 1)
        #expect(decision.action == .openLong && decision.sizeUsdE6 == 500_000_000 && decision.leverage == 2)
        #expect(decision.stopLossE8 == 98_980_000_000 && decision.takeProfitE8 == 104_030_000_000)
        #expect(decision.reason.contains("100 bp over 4 candles"))
        #expect(RuleEngine.decide(plan: Self.plan("momentum"), latest: market, position: nil, seed: 7, version: 1) == decision, "deterministic")
        let falling = Self.market(closes: [101, 100, 100, 100].map { $0 * 1_000_000_000 }, mid: 100_000_000_000)
        #expect(RuleEngine.decide(plan: Self.plan("momentum"), latest: falling, position: nil, seed: 7, version: 1).action == .openShort)
    }

    @Test("a signal against the position closes it; one with it holds")
    func againstThePosition() {
        let long = PaperAccount.Position(sizeE8: 1_000_000, entryPxE8: 100_000_000_000, leverage: 2)
        let falling = Self.market(closes: [101, 100, 100, 100].map { $0 * 1_000_000_000 }, mid: 100_000_000_000)
        #expect(RuleEngine.decide(plan: Self.plan("momentum"), latest: falling, position: long, seed: 1, version: 1).action == .close)
        let rising = Self.market(closes: [99, 100, 100, 100].map { $0 * 1_000_000_000 }, mid: 100_000_000_000)
        #expect(RuleEngine.decide(plan: Self.plan("momentum"), latest: rising, position: long, seed: 1, version: 1).action == .hold)
    }

    @Test("the seed scales the threshold: a borderline move trades for some clones and not others")
    func seeded() {
        // +20 bp: above a threshold of 16 to 19 bp, not above 20 to 24 bp.
        let market = Self.market(closes: [10_000, 10_020].map { $0 * 10_000_000 }, mid: 100_200_000_000)
        let plan = Self.plan("momentum", channels: [.init(source: "hyperliquid", name: "candles", interval: "5m", lookback: 2)])
        let actions = Set((0..<40).map { RuleEngine.decide(plan: plan, latest: market, position: nil, seed: UInt64($0), version: 1).action })
        #expect(actions == [.openLong, .hold])
    }

    @Test("funding carry takes the side that is paid; mean reversion fades a stretch and closes at the mean")
    func carryAndReversion() {
        let paidToShort = Self.market(closes: [100, 100].map { $0 * 1_000_000_000 }, mid: 100_000_000_000, fundingE12: 50_000_000)
        #expect(RuleEngine.decide(plan: Self.plan("funding_carry"), latest: paidToShort, position: nil, seed: 3, version: 1).action == .openShort)
        let calm = Self.market(closes: [100, 100].map { $0 * 1_000_000_000 }, mid: 100_000_000_000, fundingE12: 1_000_000)
        #expect(RuleEngine.decide(plan: Self.plan("funding_carry"), latest: calm, position: nil, seed: 3, version: 1).action == .hold)
        let stretched = Self.market(closes: [100, 100, 100, 100].map { $0 * 1_000_000_000 }, mid: 101_000_000_000)
        #expect(RuleEngine.decide(plan: Self.plan("mean_reversion"), latest: stretched, position: nil, seed: 3, version: 1).action == .openShort)
        let short = PaperAccount.Position(sizeE8: -1_000_000, entryPxE8: 101_000_000_000, leverage: 2)
        let back = Self.market(closes: [100, 100, 100, 100].map { $0 * 1_000_000_000 }, mid: 100_010_000_000)
        #expect(RuleEngine.decide(plan: Self.plan("mean_reversion"), latest: back, position: short, seed: 3, version: 1).action == .close)
    }

    @Test("a rule without the channels it reads holds, and says why")
    func missingChannels() {
        let market = Self.market(closes: [90, 100].map { $0 * 1_000_000_000 }, mid: 100_000_000_000, fundingE12: 50_000_000)
        let midsOnly = [PlannedChannel(source: "hyperliquid", name: "mids")]
        let momentum = RuleEngine.decide(plan: Self.plan("momentum", channels: midsOnly), latest: market, position: nil, seed: 1, version: 1)
        #expect(momentum.action == .hold && momentum.reason.contains("no candles"))
        let carry = RuleEngine.decide(plan: Self.plan("funding_carry", channels: midsOnly), latest: market, position: nil, seed: 1, version: 1)
        #expect(carry.action == .hold && carry.reason.contains("no funding"))
        #expect(RuleEngine.decide(plan: Self.plan("momentum"), latest: nil, position: nil, seed: 1, version: 1).action == .hold)
    }

    @Test("a graph names its rule per prompt; an unknown one is a problem at its pointer")
    func ruleInTheGraph() {
        var graph = StrategyGraph.basic(assets: ["BTC"], prompt: "p").convertedUp().convertedUp()
        let prompt = graph.blocks.firstIndex { $0.kind == "trading_prompt" }!
        graph.blocks[prompt].rule = "martingale"
        #expect(graph.problems().map { "\($0.code) \($0.pointer)" } == ["prompt.unknown_rule /blocks/\(prompt)/rule"])
        graph.blocks[prompt].rule = "funding_carry"
        #expect(graph.problems().isEmpty)
    }
}
