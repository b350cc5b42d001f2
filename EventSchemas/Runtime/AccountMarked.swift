/// A paper account marked to market on the hour: equity, margin, realized and unrealized PnL,
/// peak, maximum drawdown and return, with the mid (and its log sequence) of every asset held, so
/// anyone can recompute each figure from the log. Drawdown is measured on these marks.
public struct AccountMarked: CatalogEvent {
    public static let type = "runtime.account_marked"
    public static let version = 1
    public static let summary = "A paper account marked to market on the hour: equity, margin, PnL, peak, maximum drawdown, return, with the mids used (stream account.<clone>.<competition>)."

    /// The mid an open position was marked at, and the log sequence it came from.
    public struct Mark: Codable, Sendable, Equatable {
        public var asset: String
        public var midE8: Int64
        public var midSequence: Int64

        public init(asset: String, midE8: Int64, midSequence: Int64) {
            self.asset = asset
            self.midE8 = midE8
            self.midSequence = midSequence
        }

        enum CodingKeys: String, CodingKey {
            case asset
            case midE8 = "mid_e8"
            case midSequence = "mid_seq"
        }
    }

    /// The clone.
    public var cloneId: String
    /// The competition.
    public var competitionId: String
    /// Cash plus every position at its mark, USD × 10^6.
    public var equityE6: Int64
    /// Cash, USD × 10^6.
    public var cashE6: Int64
    /// Unrealized PnL of the open positions at their marks, USD × 10^6.
    public var unrealizedE6: Int64
    /// Realized PnL so far, USD × 10^6.
    public var realizedE6: Int64
    /// Fees paid so far, USD × 10^6.
    public var feesE6: Int64
    /// Funding so far (negative: paid), USD × 10^6.
    public var fundingE6: Int64
    /// Initial margin of the open positions, USD × 10^6.
    public var marginUsedE6: Int64
    /// Equity less margin used, USD × 10^6.
    public var freeMarginE6: Int64
    /// The highest marked equity so far, USD × 10^6.
    public var peakEquityE6: Int64
    /// The deepest fall from a peak over the marks so far, basis points (rounded up).
    public var maxDrawdownBp: Int64
    /// Return on the starting equity, basis points (rounded toward −∞).
    public var returnBp: Int64
    /// The marks of the open positions, by asset.
    public var marks: [Mark]

    public init(cloneId: String, competitionId: String, equityE6: Int64, cashE6: Int64, unrealizedE6: Int64, realizedE6: Int64, feesE6: Int64,
                fundingE6: Int64, marginUsedE6: Int64, freeMarginE6: Int64, peakEquityE6: Int64, maxDrawdownBp: Int64, returnBp: Int64,
                marks: [Mark]) {
        self.cloneId = cloneId
        self.competitionId = competitionId
        self.equityE6 = equityE6
        self.cashE6 = cashE6
        self.unrealizedE6 = unrealizedE6
        self.realizedE6 = realizedE6
        self.feesE6 = feesE6
        self.fundingE6 = fundingE6
        self.marginUsedE6 = marginUsedE6
        self.freeMarginE6 = freeMarginE6
        self.peakEquityE6 = peakEquityE6
        self.maxDrawdownBp = maxDrawdownBp
        self.returnBp = returnBp
        self.marks = marks
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case competitionId = "competition_id"
        case equityE6 = "equity_e6"
        case cashE6 = "cash_e6"
        case unrealizedE6 = "unrealized_e6"
        case realizedE6 = "realized_e6"
        case feesE6 = "fees_e6"
        case fundingE6 = "funding_e6"
        case marginUsedE6 = "margin_used_e6"
        case freeMarginE6 = "free_margin_e6"
        case peakEquityE6 = "peak_equity_e6"
        case maxDrawdownBp = "max_drawdown_bp"
        case returnBp = "return_bp"
        case marks
    }
}
