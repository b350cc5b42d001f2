/// Mid prices of every asset at one moment (allMids).
public struct HyperliquidMids: CatalogEvent {
    public static let type = "hyperliquid.mids"
    public static let version = 1
    public static let summary = "Mid prices of every asset at one moment (allMids) (stream source.hyperliquid)."

    /// One entry of `HyperliquidMids`.
    public struct SymbolMid: Codable, Sendable, Equatable {
        /// Asset name.
        public var symbol: String
        /// Mid price × 10^8.
        public var midE8: Int64

        public init(symbol: String, midE8: Int64) {
            self.symbol = symbol
            self.midE8 = midE8
        }

        enum CodingKeys: String, CodingKey {
            case symbol
            case midE8 = "mid_e8"
        }
    }

    /// Perp dex name; empty for the default dex.
    public var dex: String
    /// Mid per asset, sorted by symbol.
    public var mids: [SymbolMid]

    public init(dex: String, mids: [SymbolMid]) {
        self.dex = dex
        self.mids = mids
    }

    enum CodingKeys: String, CodingKey {
        case dex
        case mids
    }
}
