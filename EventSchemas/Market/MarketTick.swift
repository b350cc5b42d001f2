/// A market tick of a perpetual: mid price, funding rate and open interest as fixed-point integers.
/// The envelope's `ts` is the tick's time.
public struct MarketTick: CatalogEvent {
    public static let type = "market.tick"
    public static let version = 1
    public static let summary = "A tick of one perpetual: mid price, funding rate, open interest (stream market.<SYMBOL>)."

    public var symbol: String
    /// Mid price × 10^8.
    public var midE8: Int64
    /// Funding rate per hour × 10^8.
    public var fundingE8: Int64
    /// Open interest in USD × 10^2.
    public var openInterestE2: Int64

    public init(symbol: String, midE8: Int64, fundingE8: Int64, openInterestE2: Int64) {
        self.symbol = symbol
        self.midE8 = midE8
        self.fundingE8 = fundingE8
        self.openInterestE2 = openInterestE2
    }

    enum CodingKeys: String, CodingKey {
        case symbol
        case midE8 = "mid_e8"
        case fundingE8 = "funding_e8"
        case openInterestE2 = "open_interest_e2"
    }
}
