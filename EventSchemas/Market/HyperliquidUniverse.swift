/// The tradable universe of a Hyperliquid dex (perps) or of spot, from meta / spotMeta: every asset with its limits; delisted assets are kept and marked.
public struct HyperliquidUniverse: CatalogEvent {
    public static let type = "hyperliquid.universe"
    public static let version = 1
    public static let summary = "The tradable universe of a Hyperliquid dex (perps) or of spot, from meta / spotMeta: every asset with its limits; delisted assets are kept and marked (stream source.hyperliquid)."

    /// One entry of `HyperliquidUniverse`.
    public struct UniverseAsset: Codable, Sendable, Equatable {
        /// Asset name as the exchange spells it (e.g. BTC, kPEPE, PURR/USDC).
        public var symbol: String
        /// The asset's index in the universe.
        public var index: Int64
        /// perp or spot.
        public var kind: String
        /// Quote or collateral token, e.g. USDC.
        public var quote: String
        /// Decimals of order sizes (szDecimals).
        public var sizeDecimals: Int64
        /// Maximum leverage (perps; 0 for spot).
        public var maxLeverage: Int64
        /// Isolated margin only.
        public var onlyIsolated: Bool
        /// Delisted: kept, never traded.
        public var delisted: Bool

        public init(symbol: String, index: Int64, kind: String, quote: String, sizeDecimals: Int64, maxLeverage: Int64, onlyIsolated: Bool, delisted: Bool) {
            self.symbol = symbol
            self.index = index
            self.kind = kind
            self.quote = quote
            self.sizeDecimals = sizeDecimals
            self.maxLeverage = maxLeverage
            self.onlyIsolated = onlyIsolated
            self.delisted = delisted
        }

        enum CodingKeys: String, CodingKey {
            case symbol
            case index
            case kind
            case quote
            case sizeDecimals = "size_decimals"
            case maxLeverage = "max_leverage"
            case onlyIsolated = "only_isolated"
            case delisted
        }
    }

    /// Perp dex name; empty for the default dex; "spot" for the spot universe.
    public var dex: String
    /// Every asset, in the exchange's index order.
    public var assets: [UniverseAsset]

    public init(dex: String, assets: [UniverseAsset]) {
        self.dex = dex
        self.assets = assets
    }

    enum CodingKeys: String, CodingKey {
        case dex
        case assets
    }
}
