import Domain
import Testing

@Suite("paper fills, policy v1, against hand-computed integers", .timeLimit(.minutes(5)))
struct FillPolicyTests {
    static let btc = FillPolicy.Quote(midE8: 6_500_000_000_000, midSequence: 10, spreadBp: 2, spreadSequence: 9)

    @Test("a market order fills at the mid plus or minus half the logged spread")
    func prices() {
        #expect(FillPolicy.price(Self.btc, buy: true) == 6_500_650_000_000)   // 65,000 + 1 bp
        #expect(FillPolicy.price(Self.btc, buy: false) == 6_499_350_000_000)
        // Without a spread: 5 bp of slippage.
        let bare = FillPolicy.Quote(midE8: 6_500_000_000_000, midSequence: 10)
        #expect(FillPolicy.price(bare, buy: true) == 6_503_250_000_000)
        // Half of 1 bp of 12,345 is 0.61725: a buy rounds up, a sell down.
        let tiny = FillPolicy.Quote(midE8: 12_345, midSequence: 1, spreadBp: 1, spreadSequence: 1)
        #expect(FillPolicy.price(tiny, buy: true) == 12_346)
        #expect(FillPolicy.price(tiny, buy: false) == 12_344)
    }

    @Test("size rounds down, notional down, the 0.045% fee up")
    func sizeAndFee() {
        let size = FillPolicy.size(notionalE6: 1_000_000_000, priceE8: 6_500_650_000_000)
        #expect(size == 1_538_307)                                                  // 0.01538307 BTC for $1,000
        #expect(FillPolicy.notional(sizeE8: size, priceE8: 6_500_650_000_000) == 999_999_539)
        #expect(FillPolicy.fee(notionalE6: 999_999_539) == 450_000)                 // 449,999.79 rounded up
        #expect(FillPolicy.fee(notionalE6: 100_000) == 45)
    }

    @Test("funding: longs pay shorts on positive rates, rounded against the account")
    func funding() {
        // 1 BTC at an oracle of 65,000 and 0.00125% an hour: $0.8125.
        #expect(FillPolicy.funding(sizeE8: 100_000_000, oraclePxE8: 6_500_000_000_000, rateE12: 12_500_000) == -812_500)
        #expect(FillPolicy.funding(sizeE8: -100_000_000, oraclePxE8: 6_500_000_000_000, rateE12: 12_500_000) == 812_500)
        // A tiny rate: the long pays 0.065 → 1, the short receives 0.065 → 0.
        #expect(FillPolicy.funding(sizeE8: 100_000_000, oraclePxE8: 6_500_000_000_000, rateE12: 1) == -1)
        #expect(FillPolicy.funding(sizeE8: -100_000_000, oraclePxE8: 6_500_000_000_000, rateE12: 1) == 0)
        // Negative rates: shorts pay longs.
        #expect(FillPolicy.funding(sizeE8: -100_000_000, oraclePxE8: 6_500_000_000_000, rateE12: -12_500_000) == -812_500)
    }

    @Test("maintenance margin is half the initial margin at the asset's maximum leverage")
    func maintenance() {
        // 1 BTC at 65,000 and 40x: initial 1,625, maintenance 812.5.
        #expect(FillPolicy.maintenanceMargin(sizeE8: 100_000_000, markPxE8: 6_500_000_000_000, maxLeverage: 40) == 812_500_000)
    }
}

@Suite("the paper account", .timeLimit(.minutes(5)))
struct PaperAccountTests {
    @Test("open, mark, close: realized PnL, fees, cash and return to the integer")
    func roundTrip() {
        var account = PaperAccount()
        account = account.applying(.fill(asset: "BTC", sizeE8: 1_538_307, priceE8: 6_500_650_000_000, feeE6: 450_000, leverage: 3,
                                         stopLossE8: nil, takeProfitE8: nil))
        #expect(account.cashE6 == 10_000_000_000 - 450_000)
        #expect(account.positions["BTC"]?.marginE6 == 333_333_180)                // 999,999.540 / 3, up
        let marks: [String: Int64] = ["BTC": 6_600_000_000_000]
        #expect(account.equityE6(marks: marks) == 10_000_000_000 - 450_000 + 15_283_080)   // 0.01538307 × 993.5
        // Close at 66,000 − 1 bp: realized 15.181551 USD, fee 0.456832.
        account = account.applying(.fill(asset: "BTC", sizeE8: -1_538_307, priceE8: 6_599_340_000_000, feeE6: 456_832, leverage: 3,
                                         stopLossE8: nil, takeProfitE8: nil))
        #expect(account.positions.isEmpty)
        #expect(account.realizedE6 == 15_181_551 && account.feesE6 == 906_832)
        #expect(account.cashE6 == 10_014_274_719)
        #expect(account.returnBp(marks: marks) == 14)
    }

    @Test("adding to a position averages the entry; drawdown is the deepest fall from a peak")
    func averageAndDrawdown() {
        var account = PaperAccount()
        account = account.applying(.fill(asset: "ETH", sizeE8: 100_000_000, priceE8: 300_000_000_000, feeE6: 0, leverage: 2, stopLossE8: nil,
                                         takeProfitE8: nil))
        account = account.applying(.fill(asset: "ETH", sizeE8: 100_000_000, priceE8: 310_000_000_001, feeE6: 0, leverage: 2, stopLossE8: nil,
                                         takeProfitE8: nil))
        #expect(account.positions["ETH"]?.entryPxE8 == 305_000_000_001)           // the mean, rounded up for a buy
        // The peak, marked at 3,100: 10,099.999999. At 2,550.00000001 the 2 ETH have lost 1,000: equity
        // 9,000, a fall of 1,099.999999 from the peak, 1,089.1 bp, rounded up.
        account.markDrawdown(marks: ["ETH": 310_000_000_000])
        #expect(account.peakEquityE6 == 10_099_999_999)
        account.markDrawdown(marks: ["ETH": 255_000_000_001])
        #expect(account.maxDrawdownBp == 1_090)
        account.markDrawdown(marks: ["ETH": 320_000_000_000])
        #expect(account.maxDrawdownBp == 1_090, "a new peak keeps the deepest fall")
    }

    @Test("a later mid sets off a stop loss or take profit on the side it protects")
    func triggers() {
        let long = PaperAccount.Position(sizeE8: 1, entryPxE8: 100, leverage: 1, stopLossE8: 90, takeProfitE8: 120)
        #expect(long.trigger(midE8: 100) == nil)
        #expect(long.trigger(midE8: 90) == .stopLoss && long.trigger(midE8: 121) == .takeProfit)
        let short = PaperAccount.Position(sizeE8: -1, entryPxE8: 100, leverage: 1, stopLossE8: 110, takeProfitE8: 80)
        #expect(short.trigger(midE8: 111) == .stopLoss && short.trigger(midE8: 80) == .takeProfit && short.trigger(midE8: 95) == nil)
    }

    @Test("funding moves cash; an account under maintenance margin is liquidated at the mark")
    func fundingAndLiquidation() {
        var account = PaperAccount(startingEquityE6: 1_000_000_000)                 // 1,000 USD
        account = account.applying(.fill(asset: "BTC", sizeE8: 30_000_000, priceE8: 6_500_000_000_000, feeE6: 0, leverage: 20,
                                         stopLossE8: nil, takeProfitE8: nil))  // 19,500 USD of BTC
        account = account.applying(.funding(asset: "BTC", amountE6: -243_750))
        #expect(account.fundingE6 == -243_750 && account.cashE6 == 999_756_250)
        #expect(!account.isLiquidatable(marks: ["BTC": 6_400_000_000_000], maxLeverage: ["BTC": 40]))
        // At 62,000: equity 1,000 − 900 − 0.24 = 99.76 < maintenance 232.5.
        #expect(account.isLiquidatable(marks: ["BTC": 6_200_000_000_000], maxLeverage: ["BTC": 40]))
        account = account.applying(.liquidation(marks: ["BTC": 6_200_000_000_000]))
        #expect(account.positions.isEmpty && account.cashE6 == 99_756_250 && account.realizedE6 == -900_000_000)
    }
}

@Suite("decision answers", .timeLimit(.minutes(5)))
struct DecisionTests {
    @Test("an answer of the schema becomes exact integers")
    func parse() throws {
        let text = #"{"action":"open_long","size_usd":"1000.5","leverage":3,"stop_loss":"61500.5","take_profit":null,"confidence":0.62,"reason":"trend"}"#
        let decision = try Decision.parse(Array(text.utf8))
        #expect(decision == Decision(action: .openLong, sizeUsdE6: 1_000_500_000, leverage: 3, stopLossE8: 6_150_050_000_000, takeProfitE8: nil,
                                     confidenceBp: 6_200, reason: "trend"))
    }

    @Test("an answer that breaks the schema names the member at fault", arguments: [
        (#"{"action":"buy","size_usd":"1","leverage":1,"stop_loss":null,"take_profit":null,"confidence":0.5,"reason":""}"#, "action"),
        (#"{"action":"hold","size_usd":1,"leverage":1,"stop_loss":null,"take_profit":null,"confidence":0.5,"reason":""}"#, "size_usd"),
        (#"{"action":"hold","size_usd":"1","leverage":1.5,"stop_loss":null,"take_profit":null,"confidence":0.5,"reason":""}"#, "leverage"),
        (#"{"action":"hold","size_usd":"1","leverage":1,"stop_loss":null,"take_profit":null,"confidence":1.5,"reason":""}"#, "confidence"),
        (#"{"action":"hold","size_usd":"1","leverage":1,"stop_loss":"-3","take_profit":null,"confidence":0.5,"reason":""}"#, "stop_loss"),
        (#"{"action":"hold","size_usd":"1","leverage":1,"stop_loss":null,"take_profit":null,"confidence":0.5}"#, "reason"),
        (#"{"action":"hold","size_usd":"1","leverage":1,"stop_loss":null,"take_profit":null,"confidence":0.5,"reason":"","x":1}"#, "x"),
        (#"{"action":"hold""#, ""),
    ])
    func refused(text: String, member: String) {
        #expect(throws: AnswerError.self) { try Decision.parse(Array(text.utf8)) }
        do { _ = try Decision.parse(Array(text.utf8)) } catch { #expect(error.member == member, "\(error)") }
    }
}

@Suite("safety gates, one per reason code", .timeLimit(.minutes(5)))
struct GatesTests {
    static let controls = StrategyGraph.ExecutionControls(maxLeverage: 5, maxOrderNotionalUsd: 2_000, maxAccountNotionalUsd: 3_000,
                                                          maxOpenPositions: 1, allowedActions: ["open_long", "open_short", "close", "hold"])
    static let now: Int64 = 1_717_210_000_000
    static let quote = FillPolicy.Quote(midE8: 6_500_000_000_000, midSequence: 5, spreadBp: 2, spreadSequence: 4)

    static func context(_ decision: Decision, asset: String = "BTC", account: PaperAccount = PaperAccount(), maxLeverage: Int64? = 40,
                        quoteMs: Int64 = now - 30_000, controls: StrategyGraph.ExecutionControls = controls,
                        killSwitch: Gates.KillSwitch = .running, lastOrderMs: Int64? = nil) -> Gates.Context {
        Gates.Context(decision: decision, asset: asset, controls: controls, cadenceMs: 60_000, nowMs: now, maxLeverage: maxLeverage, quote: quote,
                      quoteMs: quoteMs, account: account, marks: ["BTC": quote.midE8], killSwitch: killSwitch, lastOrderMs: lastOrderMs)
    }

    static let long = Decision(action: .openLong, sizeUsdE6: 1_000_000_000, leverage: 3)

    static var holding: PaperAccount {
        PaperAccount().applying(.fill(asset: "BTC", sizeE8: 1_000_000, priceE8: 6_500_000_000_000, feeE6: 0, leverage: 3, stopLossE8: nil,
                                      takeProfitE8: nil))
    }

    func code(_ context: Gates.Context) -> String? {
        guard case .failure(let rejection)? = Gates.check(context) else { return nil }
        return rejection.code
    }

    func detail(_ context: Gates.Context) -> String {
        guard case .failure(let rejection)? = Gates.check(context) else { return "" }
        return rejection.detail
    }

    @Test("an acceptable open becomes an order at the fill price; a hold is no order")
    func accepted() throws {
        let order = try #require(try Gates.check(Self.context(Self.long))?.get())
        #expect(order == Gates.Order(sizeE8: 1_538_307, leverage: 3, reduceOnly: false, priceE8: 6_500_650_000_000))
        #expect(Gates.check(Self.context(.hold("no edge"))) == nil)
        let close = try #require(try Gates.check(Self.context(Decision(action: .close), account: Self.holding))?.get())
        #expect(close.sizeE8 == -1_000_000 && close.reduceOnly && close.priceE8 == 6_499_350_000_000)
    }

    @Test("each gate refuses with its code")
    func codes() {
        var lowControls = Self.controls
        lowControls.allowedActions = ["close", "hold"]
        var leverage = Self.long
        leverage.leverage = 6
        var assetLeverage = Self.long
        assetLeverage.leverage = 4
        var zero = Self.long
        zero.leverage = 0
        var small = Self.long
        small.sizeUsdE6 = 9_999_999
        var big = Self.long
        big.sizeUsdE6 = 2_000_000_001
        var wrongStop = Self.long
        wrongStop.stopLossE8 = 6_600_000_000_000
        var farTarget = Self.long
        farTarget.takeProfitE8 = 9_800_000_000_000
        var rich = Self.long
        rich.sizeUsdE6 = 1_900_000_000
        let short = Decision(action: .openShort, sizeUsdE6: 1_000_000_000, leverage: 3)
        var broke = PaperAccount(startingEquityE6: 100_000_000)
        broke.cashE6 = 100_000_000
        var heavy = Self.long
        heavy.leverage = 1
        heavy.sizeUsdE6 = 500_000_000

        #expect(code(Self.context(Self.long, killSwitch: .halted)) == "kill_switch")
        #expect(code(Self.context(Self.long, killSwitch: .reduceOnly)) == "kill_switch")
        #expect(code(Self.context(Decision(action: .close), account: Self.holding, killSwitch: .reduceOnly)) == nil)
        #expect(code(Self.context(Self.long, controls: lowControls)) == "action_not_allowed")
        #expect(code(Self.context(Self.long, maxLeverage: nil)) == "unknown_asset")
        #expect(code(Self.context(Self.long, quoteMs: Self.now - 120_001)) == "stale_data")
        #expect(code(Self.context(Self.long, lastOrderMs: Self.now - 29_999)) == "rate_limit")
        #expect(code(Self.context(Decision(action: .close))) == "reduce_only")
        #expect(code(Self.context(short, account: Self.holding)) == "opposite_position")
        #expect(code(Self.context(zero)) == "leverage")
        #expect(code(Self.context(leverage)) == "leverage" && detail(Self.context(leverage)).contains("prompt's maximum 5"))
        #expect(code(Self.context(assetLeverage, maxLeverage: 3)) == "leverage"
                && detail(Self.context(assetLeverage, maxLeverage: 3)).contains("BTC's maximum 3"))
        #expect(code(Self.context(small)) == "min_size")
        #expect(code(Self.context(big)) == "notional_order")
        #expect(code(Self.context(rich, account: Self.holding.applying(.fill(asset: "BTC", sizeE8: 20_000_000, priceE8: 6_500_000_000_000, feeE6: 0,
                                                                             leverage: 3, stopLossE8: nil, takeProfitE8: nil))))
                == "notional_account")
        #expect(code(Self.context(Self.long, asset: "ETH", account: Self.holding)) == "open_positions")
        #expect(code(Self.context(wrongStop)) == "price_band")
        #expect(code(Self.context(farTarget)) == "price_band")
        #expect(code(Self.context(heavy, account: broke)) == "free_margin")
    }
}
