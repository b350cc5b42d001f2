import ClashCore
import Domain
import Testing

/// Rules engine versions 2 and 3: signals against the asset's own volatility, exits when a signal fades,
/// and what the risk presets set.
@Suite("the rules engine, versions 2 and 3: trading as arena bots do", .timeLimit(.minutes(5)))
struct ActiveRuleEngineTests {
    static func plan(_ rule: String, risk: String = "medium") -> ReadPlan {
        ReadPlan(prompt: "prompt", asset: "BTC", cadenceMs: 300_000,
                 channels: [.init(source: "hyperliquid", name: "candles", interval: "5m", lookback: 12), .init(source: "hyperliquid", name: "funding"),
                            .init(source: "hyperliquid", name: "volatility"), .init(source: "hyperliquid", name: "mids")],
                 execution: RiskPreset.controls(risk)!, rule: rule)
    }

    /// 5m closes (in dollars), the mid, the hour's realized volatility and the funding rate.
    static func market(closes: [Int64], mid: Int64, hourlyBp: Int64 = 40, fundingE12: Int64 = 12_500_000) -> AssetLatest {
        let candles = closes.enumerated().map { AssetLatest.Candle(openMs: Int64($0.offset) * 300_000, openE8: $0.element * 100_000_000,
                                                                     highE8: $0.element * 100_000_000, lowE8: $0.element * 100_000_000,
                                                                     closeE8: $0.element * 100_000_000) }
        return AssetLatest(symbol: "BTC", dex: "", kind: "perp", quote: "USDC", maxLeverage: 40, delisted: false, asOfMs: 3_600_000,
                           price: .init(midE8: mid * 100_000_000, ts: 3_600_000), candles: ["5m": candles],
                           funding: .init(currentE12: fundingE12), volatility: .init(realized1hBp: hourlyBp))
    }

    static let flat: [Int64] = Array(repeating: 10_000, count: 12)

    @Test("momentum is measured against the asset's volatility: a 40 bp run trades on a calm asset, not on a wild one")
    func momentumAgainstVolatility() {
        let closes = Self.flat.dropLast(6) + [10_000, 10_007, 10_014, 10_021, 10_028, 10_035, 10_040]
        let calm = RuleEngine.decide(plan: Self.plan("momentum"), latest: Self.market(closes: Array(closes), mid: 10_040, hourlyBp: 30), position: nil, seed: 7)
        #expect(calm.action == .openLong, "\(calm.reason)")
        let wild = RuleEngine.decide(plan: Self.plan("momentum"), latest: Self.market(closes: Array(closes), mid: 10_040, hourlyBp: 200), position: nil, seed: 7)
        #expect(wild.action == .hold, "\(wild.reason)")
    }

    @Test("the risk preset sets leverage, size and how far the stop loss and take profit sit, in multiples of the hour's volatility")
    func riskPresets() throws {
        let closes = Self.flat.dropLast(6) + [10_000, 10_010, 10_020, 10_030, 10_040, 10_050, 10_060]
        var seen: [String: Decision] = [:]
        for risk in ["low", "medium", "high"] {
            let decision = RuleEngine.decide(plan: Self.plan("momentum", risk: risk), latest: Self.market(closes: Array(closes), mid: 10_000, hourlyBp: 40),
                                             position: nil, seed: 7)
            #expect(decision.action == .openLong, "\(risk): \(decision.reason)")
            seen[risk] = decision
        }
        let low = try #require(seen["low"]), medium = try #require(seen["medium"]), high = try #require(seen["high"])
        // High uses the leverage it may: the asset's maximum (40) capped by the plan's (20); version 2 used 5.
        #expect([low.leverage, medium.leverage, high.leverage] == [1, 2, 20])
        let highV2 = RuleEngine.decide(plan: Self.plan("momentum", risk: "high"), latest: Self.market(closes: Array(closes), mid: 10_000, hourlyBp: 40),
                                       position: nil, seed: 7, version: 2)
        #expect(highV2.leverage == 5 && highV2.stopLossE8 == high.stopLossE8)
        // At $10,000 and 40 bp an hour: stops 1.5, 2 and 3 sigmas away (60, 80, 120 bp), targets 2, 3 and 4.5 (80, 120, 180 bp).
        #expect([low.stopLossE8, medium.stopLossE8, high.stopLossE8] == [9_940, 9_920, 9_880].map { Int64($0) * 100_000_000 })
        #expect([low.takeProfitE8, medium.takeProfitE8, high.takeProfitE8] == [10_080, 10_120, 10_180].map { Int64($0) * 100_000_000 })
        // A strong signal (well past twice the threshold): the preset's whole size of the per-order maximum.
        #expect(low.sizeUsdE6 == 500 * 400_000 && medium.sizeUsdE6 == 1_500 * 600_000 && high.sizeUsdE6 == 50_000 * 900_000)
    }

    @Test("a position closes when its signal fades, not only on the opposite signal")
    func exitsWhenTheSignalFades() {
        let long = PaperAccount.Position(sizeE8: 1_000_000, entryPxE8: 1_000_000_000_000, leverage: 2)
        let turned = Self.flat.dropLast(6) + [10_040, 10_045, 10_045, 10_042, 10_040, 10_039, 10_038]
        #expect(RuleEngine.decide(plan: Self.plan("momentum"), latest: Self.market(closes: Array(turned), mid: 10_038), position: long, seed: 7).action == .close)
        let running = Self.flat.dropLast(6) + [10_000, 10_001, 10_002, 10_003, 10_004, 10_005, 10_006]
        #expect(RuleEngine.decide(plan: Self.plan("momentum"), latest: Self.market(closes: Array(running), mid: 10_006), position: long, seed: 7).action == .hold)
        // Mean reversion: long after a drop, closed once the mid is back within 0.2 sigma of the mean.
        let back = Self.market(closes: Self.flat, mid: 9_999, hourlyBp: 40)
        #expect(RuleEngine.decide(plan: Self.plan("mean_reversion"), latest: back, position: long, seed: 7).action == .close)
        let stillLow = Self.market(closes: Self.flat, mid: 9_980, hourlyBp: 40)
        #expect(RuleEngine.decide(plan: Self.plan("mean_reversion"), latest: stillLow, position: long, seed: 7).action == .hold)
        #expect(RuleEngine.decide(plan: Self.plan("mean_reversion"), latest: Self.market(closes: Self.flat, mid: 9_930, hourlyBp: 40),
                                  position: nil, seed: 7).action == .openLong, "60 bp under the mean at 40 bp an hour")
    }

    @Test("funding carry is measured from the 0.00125 % baseline: the baseline holds, a high rate shorts, a rate back near the baseline closes")
    func fundingFromTheBaseline() {
        let plan = Self.plan("funding_carry")
        #expect(RuleEngine.decide(plan: plan, latest: Self.market(closes: Self.flat, mid: 10_000), position: nil, seed: 3).action == .hold)
        #expect(RuleEngine.decide(plan: plan, latest: Self.market(closes: Self.flat, mid: 10_000, fundingE12: 40_000_000), position: nil, seed: 3).action == .openShort)
        #expect(RuleEngine.decide(plan: plan, latest: Self.market(closes: Self.flat, mid: 10_000, fundingE12: -20_000_000), position: nil, seed: 3).action == .openLong)
        let short = PaperAccount.Position(sizeE8: -1_000_000, entryPxE8: 1_000_000_000_000, leverage: 2)
        #expect(RuleEngine.decide(plan: plan, latest: Self.market(closes: Self.flat, mid: 10_000, fundingE12: 13_000_000), position: short, seed: 3).action == .close)
        #expect(RuleEngine.decide(plan: plan, latest: Self.market(closes: Self.flat, mid: 10_000, fundingE12: 40_000_000), position: short, seed: 3).action == .hold)
    }

    @Test("version 1 stays as it was for the logs it decided; each version is deterministic")
    func versions() {
        let closes = Self.flat.dropLast(6) + [10_000, 10_010, 10_020, 10_030, 10_040, 10_050, 10_060]
        let market = Self.market(closes: Array(closes), mid: 10_060)
        let v2 = RuleEngine.decide(plan: Self.plan("momentum"), latest: market, position: nil, seed: 7)
        let v1 = RuleEngine.decide(plan: Self.plan("momentum"), latest: market, position: nil, seed: 7, version: 1)
        #expect(v2 == RuleEngine.decide(plan: Self.plan("momentum"), latest: market, position: nil, seed: 7, version: 2))
        #expect(v1.leverage == 2 && v1.stopLossE8 == 10_060 * 100_000_000 - 10_060 * 100_000_000 / 50, "v1: 2x, a 2 % stop")
        #expect(v2.stopLossE8 != v1.stopLossE8)
    }
}
