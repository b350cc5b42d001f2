/// Funding rate history of one asset (fundingHistory).
public struct HyperliquidFunding: CatalogEvent {
    public static let type = "hyperliquid.funding"
    public static let version = 1
    public static let summary = "Funding rate history of one asset (fundingHistory) (stream market.<SYMBOL>)."

    /// One entry of `HyperliquidFunding`.
    public struct FundingEntry: Codable, Sendable, Equatable {
        /// Funding time.
        public var timeMs: Int64
        /// Hourly funding rate × 10^12.
        public var fundingE12: Int64
        /// Premium × 10^12.
        public var premiumE12: Int64

        public init(timeMs: Int64, fundingE12: Int64, premiumE12: Int64) {
            self.timeMs = timeMs
            self.fundingE12 = fundingE12
            self.premiumE12 = premiumE12
        }

        enum CodingKeys: String, CodingKey {
            case timeMs = "time_ms"
            case fundingE12 = "funding_e12"
            case premiumE12 = "premium_e12"
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
