/// Polymarket markets (Gamma markets and events, one page or more).
public struct PolymarketMarkets: CatalogEvent {
    public static let type = "polymarket.markets"
    public static let version = 1
    public static let summary = "Polymarket markets (Gamma markets and events, one page or more) (stream source.polymarket)."

    /// One entry of `PolymarketMarkets`.
    public struct PredictionMarket: Codable, Sendable, Equatable {
        /// Gamma market id.
        public var marketId: String
        /// URL slug.
        public var slug: String
        /// The question.
        public var question: String
        /// When the market resolves.
        public var endMs: Int64?
        /// Active.
        public var active: Bool
        /// Closed.
        public var closed: Bool
        /// Outcome names.
        public var outcomes: [String]
        /// Outcome prices × 10^6, in outcome order.
        public var outcomePricesE6: [Int64]
        /// Volume, USD × 10^2.
        public var volumeE2: Int64
        /// Liquidity, USD × 10^2.
        public var liquidityE2: Int64

        public init(marketId: String, slug: String, question: String, endMs: Int64?, active: Bool, closed: Bool, outcomes: [String], outcomePricesE6: [Int64], volumeE2: Int64, liquidityE2: Int64) {
            self.marketId = marketId
            self.slug = slug
            self.question = question
            self.endMs = endMs
            self.active = active
            self.closed = closed
            self.outcomes = outcomes
            self.outcomePricesE6 = outcomePricesE6
            self.volumeE2 = volumeE2
            self.liquidityE2 = liquidityE2
        }

        enum CodingKeys: String, CodingKey {
            case marketId = "market_id"
            case slug
            case question
            case endMs = "end_ms"
            case active
            case closed
            case outcomes
            case outcomePricesE6 = "outcome_prices_e6"
            case volumeE2 = "volume_e2"
            case liquidityE2 = "liquidity_e2"
        }
    }

    /// Markets as listed.
    public var markets: [PredictionMarket]

    public init(markets: [PredictionMarket]) {
        self.markets = markets
    }

    enum CodingKeys: String, CodingKey {
        case markets
    }
}
