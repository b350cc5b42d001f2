/// Funding rate history of one asset (fundingHistory).
public struct HyperliquidFunding: CatalogEvent {
    public static let type = "hyperliquid.funding"
    public static let version = 1
    public static let summary = "Funding rate history of one asset (fundingHistory) (stream market.<SYMBOL>)."

    /// One entry of `HyperliquidFunding`.
    public struct FundingEntry: Codable, Sendable, Equatable {
        /// Funding time.
        public var timeMs: Int64
        /// Hourly funding rate × 10^8.
        public var fundingE8: Int64
        /// Premium × 10^8.
        public var premiumE8: Int64

        public init(timeMs: Int64, fundingE8: Int64, premiumE8: Int64) {
            self.timeMs = timeMs
            self.fundingE8 = fundingE8
            self.premiumE8 = premiumE8
        }

        enum CodingKeys: String, CodingKey {
            case timeMs = "time_ms"
            case fundingE8 = "funding_e8"
            case premiumE8 = "premium_e8"
        }
    }

    /// Asset name.
    public var symbol: String
    /// Hourly entries in time order.
    public var entries: [FundingEntry]

    public init(symbol: String, entries: [FundingEntry]) {
        self.symbol = symbol
        self.entries = entries
    }

    enum CodingKeys: String, CodingKey {
        case symbol
        case entries
    }
}
