/// A summary of one asset's order book (l2Book): best prices, spread and depth near the mid.
public struct HyperliquidBookSummary: CatalogEvent {
    public static let type = "hyperliquid.book_summary"
    public static let version = 1
    public static let summary = "A summary of one asset's order book (l2Book): best prices, spread and depth near the mid (stream market.<SYMBOL>)."

    /// Asset name.
    public var symbol: String
    /// Best bid × 10^8.
    public var bestBidE8: Int64
    /// Best ask × 10^8.
    public var bestAskE8: Int64
    /// Spread in basis points of the mid.
    public var spreadBp: Int64
    /// Bid size within 1% of the mid, USD × 10^2.
    public var bidDepthE2: Int64
    /// Ask size within 1% of the mid, USD × 10^2.
    public var askDepthE2: Int64
    /// Levels per side in the snapshot.
    public var levels: Int64

    public init(symbol: String, bestBidE8: Int64, bestAskE8: Int64, spreadBp: Int64, bidDepthE2: Int64, askDepthE2: Int64, levels: Int64) {
        self.symbol = symbol
        self.bestBidE8 = bestBidE8
        self.bestAskE8 = bestAskE8
        self.spreadBp = spreadBp
        self.bidDepthE2 = bidDepthE2
        self.askDepthE2 = askDepthE2
        self.levels = levels
    }

    enum CodingKeys: String, CodingKey {
        case symbol
        case bestBidE8 = "best_bid_e8"
        case bestAskE8 = "best_ask_e8"
        case spreadBp = "spread_bp"
        case bidDepthE2 = "bid_depth_e2"
        case askDepthE2 = "ask_depth_e2"
        case levels
    }
}
