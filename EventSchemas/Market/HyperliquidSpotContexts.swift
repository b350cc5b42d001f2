/// The state of every Hyperliquid spot pair (spotMetaAndAssetCtxs): prices and 24-hour volume.
public struct HyperliquidSpotContexts: CatalogEvent {
    public static let type = "hyperliquid.spot_contexts"
    public static let version = 1
    public static let summary = "The state of every Hyperliquid spot pair (spotMetaAndAssetCtxs): prices and 24-hour volume (stream source.hyperliquid)."

    /// One entry of `HyperliquidSpotContexts`.
    public struct SpotContext: Codable, Sendable, Equatable {
        /// The pair as BASE/QUOTE (e.g. HYPE/USDC), the name the universe lists.
        public var symbol: String
        /// The exchange's coin name for the pair (PURR/USDC or @<index>), as allMids keys it.
        public var coin: String
        /// Mark price × 10^8.
        public var markPxE8: Int64
        /// Mid price × 10^8; absent without a two-sided book.
        public var midPxE8: Int64?
        /// Price 24 hours ago × 10^8.
        public var prevDayPxE8: Int64
        /// 24-hour notional volume, USD × 10^2 (half-even).
        public var dayNotionalVolumeE2: Int64

        public init(symbol: String, coin: String, markPxE8: Int64, midPxE8: Int64?, prevDayPxE8: Int64, dayNotionalVolumeE2: Int64) {
            self.symbol = symbol
            self.coin = coin
            self.markPxE8 = markPxE8
            self.midPxE8 = midPxE8
            self.prevDayPxE8 = prevDayPxE8
            self.dayNotionalVolumeE2 = dayNotionalVolumeE2
        }

        enum CodingKeys: String, CodingKey {
            case symbol
            case coin
            case markPxE8 = "mark_px_e8"
            case midPxE8 = "mid_px_e8"
            case prevDayPxE8 = "prev_day_px_e8"
            case dayNotionalVolumeE2 = "day_notional_volume_e2"
        }
    }

    /// One context per listed pair, in the exchange's order.
    public var contexts: [SpotContext]

    public init(contexts: [SpotContext]) {
        self.contexts = contexts
    }

    enum CodingKeys: String, CodingKey {
        case contexts
    }
}
