/// Asset categories: the project's mapping for native perps and Hyperliquid's perpCategories for builder-deployed perps.
public struct HyperliquidCategories: CatalogEvent {
    public static let type = "hyperliquid.categories"
    public static let version = 1
    public static let summary = "Asset categories: the project's mapping for native perps and Hyperliquid's perpCategories for builder-deployed perps (stream source.hyperliquid)."

    /// One entry of `HyperliquidCategories`.
    public struct CategoryEntry: Codable, Sendable, Equatable {
        /// Asset name (dex:name for builder-deployed perps).
        public var symbol: String
        /// Category path, e.g. Tradfi/Stocks.
        public var category: String

        public init(symbol: String, category: String) {
            self.symbol = symbol
            self.category = category
        }

        enum CodingKeys: String, CodingKey {
            case symbol
            case category
        }
    }

    /// mapping (the project's file) or perp_categories (the exchange).
    public var source: String
    /// Version of the project's mapping file (0 for the exchange's).
    public var mappingVersion: Int64
    /// One entry per asset.
    public var entries: [CategoryEntry]

    public init(source: String, mappingVersion: Int64, entries: [CategoryEntry]) {
        self.source = source
        self.mappingVersion = mappingVersion
        self.entries = entries
    }

    enum CodingKeys: String, CodingKey {
        case source
        case mappingVersion = "mapping_version"
        case entries
    }
}
