/// Per-asset market contexts of a dex (metaAndAssetCtxs): prices, funding, open interest, premium, impact prices, volume.
public struct HyperliquidAssetContexts: CatalogEvent {
    public static let type = "hyperliquid.asset_contexts"
    public static let version = 1
    public static let summary = "Per-asset market contexts of a dex (metaAndAssetCtxs): prices, funding, open interest, premium, impact prices, volume (stream source.hyperliquid)."

    /// One entry of `HyperliquidAssetContexts`.
    public struct AssetContext: Codable, Sendable, Equatable {
        /// Asset name.
        public var symbol: String
        /// Mark price × 10^8.
        public var markPxE8: Int64
        /// Oracle price × 10^8.
        public var oraclePxE8: Int64
        /// Mid price × 10^8 (absent when the book is empty).
        public var midPxE8: Int64?
        /// Price 24 hours ago × 10^8.
        public var prevDayPxE8: Int64
        /// Current hourly funding rate × 10^12.
        public var fundingE12: Int64
        /// Premium × 10^12.
        public var premiumE12: Int64?
        /// Open interest in coins × 10^8 (rounded half to even).
        public var openInterestE8: Int64
        /// 24-hour notional volume, USD × 10^2 (rounded half to even).
        public var dayNotionalVolumeE2: Int64
        /// Impact bid price × 10^8.
        public var impactBidPxE8: Int64?
        /// Impact ask price × 10^8.
        public var impactAskPxE8: Int64?

        public init(symbol: String, markPxE8: Int64, oraclePxE8: Int64, midPxE8: Int64?, prevDayPxE8: Int64, fundingE12: Int64, premiumE12: Int64?, openInterestE8: Int64, dayNotionalVolumeE2: Int64, impactBidPxE8: Int64?, impactAskPxE8: Int64?) {
            self.symbol = symbol
            self.markPxE8 = markPxE8
            self.oraclePxE8 = oraclePxE8
            self.midPxE8 = midPxE8
            self.prevDayPxE8 = prevDayPxE8
            self.fundingE12 = fundingE12
            self.premiumE12 = premiumE12
            self.openInterestE8 = openInterestE8
            self.dayNotionalVolumeE2 = dayNotionalVolumeE2
            self.impactBidPxE8 = impactBidPxE8
            self.impactAskPxE8 = impactAskPxE8
        }

        enum CodingKeys: String, CodingKey {
            case symbol
            case markPxE8 = "mark_px_e8"
            case oraclePxE8 = "oracle_px_e8"
            case midPxE8 = "mid_px_e8"
            case prevDayPxE8 = "prev_day_px_e8"
            case fundingE12 = "funding_e12"
            case premiumE12 = "premium_e12"
            case openInterestE8 = "open_interest_e8"
            case dayNotionalVolumeE2 = "day_notional_volume_e2"
            case impactBidPxE8 = "impact_bid_px_e8"
            case impactAskPxE8 = "impact_ask_px_e8"
        }
    }

    /// Perp dex name; empty for the default dex.
    public var dex: String
    /// One context per listed asset.
    public var contexts: [AssetContext]

    public init(dex: String, contexts: [AssetContext]) {
        self.dex = dex
        self.contexts = contexts
    }

    enum CodingKeys: String, CodingKey {
        case dex
        case contexts
    }
}
