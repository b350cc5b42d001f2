/// Paper fills, policy v2 (from Hyperliquid's published parameters), in integers. Every division
/// rounds against the paper account: a buy's price up, a sell's down, a size down, a fee up, a
/// funding payment up and a funding receipt down.
///
/// - A market order fills at the mid plus (buy) or minus (sell) half the logged spread; with no
///   spread logged, `slippageBpDefault` basis points.
/// - Taker fee: 0.045% of the notional (`feeRatePer100k` / 100,000).
/// - Funding, hourly: size × oracle price × hourly rate; positive rates: longs pay shorts.
/// - Maintenance margin: half the initial margin at the asset's maximum leverage.
/// - Each minute (v2): an account under maintenance margin at the minute's marks is liquidated
///   before its stop losses and take profits are filled at those marks, as the exchange's
///   liquidation comes before a trigger order the same move sets off; v1 filled the triggers first,
///   so a gap past both closed the positions by their stops and left an account below maintenance
///   (or below zero) unliquidated. Fills record their policy; an audit replays each under its own.
public enum FillPolicy {
    public static let version: Int64 = 2
    /// The versions this build can trade (and audit) by.
    public static let versions: ClosedRange<Int64> = 1...2
    public static let feeRatePer100k: Int64 = 45
    public static let slippageBpDefault: Int64 = 5
    /// Hyperliquid's smallest order value, USD × 10^6.
    public static let minimumNotionalE6: Int64 = 10_000_000

    /// The market data a fill uses, and where each figure came from in the log.
    public struct Quote: Sendable, Equatable {
        public var midE8: Int64
        public var midSequence: UInt64
        /// The book's spread in basis points, nil when none is logged.
        public var spreadBp: Int64?
        public var spreadSequence: UInt64?

        public init(midE8: Int64, midSequence: UInt64, spreadBp: Int64? = nil, spreadSequence: UInt64? = nil) {
            self.midE8 = midE8
            self.midSequence = midSequence
            self.spreadBp = spreadBp
            self.spreadSequence = spreadSequence
        }

        /// Half the spread, or the default slippage, in hundredths of a basis point (so half of an
        /// odd spread is exact).
        var slippageCentiBp: Int64 { spreadBp.map { $0 * 50 } ?? slippageBpDefault * 100 }
    }

    /// The price a market buy (`buy`) or sell fills at.
    public static func price(_ quote: Quote, buy: Bool) -> Int64 {
        let mid = Int128(quote.midE8)
        let move = mid * Int128(quote.slippageCentiBp)
        let denominator: Int128 = 1_000_000
        return Int64(buy ? mid + ceilDiv(move, denominator) : mid - ceilDiv(move, denominator))
    }

    /// Coins (× 10^8) a notional (USD × 10^6) buys at `priceE8`, rounded down.
    public static func size(notionalE6: Int64, priceE8: Int64) -> Int64 {
        Int64(Int128(notionalE6) * 10_000_000_000 / Int128(priceE8))
    }

    /// USD × 10^6 of `sizeE8` coins at `priceE8`, rounded down (`up` to round up).
    public static func notional(sizeE8: Int64, priceE8: Int64, up: Bool = false) -> Int64 {
        let product = Int128(sizeE8.magnitude) * Int128(priceE8)
        return Int64(up ? ceilDiv(product, 10_000_000_000) : product / 10_000_000_000)
    }

    /// The taker fee of a notional, rounded up.
    public static func fee(notionalE6: Int64) -> Int64 {
        Int64(ceilDiv(Int128(notionalE6) * Int128(feeRatePer100k), 100_000))
    }

    /// The cash change of an hour's funding on a position (`sizeE8` signed: long > 0) at the
    /// oracle price and hourly rate (× 10^12): negative when the account pays, rounded against it.
    public static func funding(sizeE8: Int64, oraclePxE8: Int64, rateE12: Int64) -> Int64 {
        // A long pays size × price × rate; a short receives it. In USD × 10^6: / 10^(8+8+12-6).
        let owed = Int128(sizeE8) * Int128(oraclePxE8) * Int128(rateE12)
        let scale: Int128 = 10_000_000_000_000_000_000_000
        return Int64(-ceilDiv(owed, scale))
    }

    /// Maintenance margin of a position at the mark: half the initial margin at the asset's
    /// maximum leverage, rounded up.
    public static func maintenanceMargin(sizeE8: Int64, markPxE8: Int64, maxLeverage: Int64) -> Int64 {
        Int64(ceilDiv(Int128(notional(sizeE8: sizeE8, priceE8: markPxE8, up: true)), Int128(2 * max(maxLeverage, 1))))
    }

    /// Division rounded toward +∞ (for any sign of the numerator; positive denominator).
    static func ceilDiv(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        let quotient = numerator / denominator
        return numerator % denominator > 0 ? quotient + 1 : quotient
    }
}
