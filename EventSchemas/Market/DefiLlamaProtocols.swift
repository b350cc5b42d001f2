/// Protocol TVLs from DefiLlama /protocols.
public struct DefiLlamaProtocols: CatalogEvent {
    public static let type = "defillama.protocols"
    public static let version = 1
    public static let summary = "Protocol TVLs from DefiLlama /protocols (stream source.defillama)."

    /// One entry of `DefiLlamaProtocols`.
    public struct ProtocolTVL: Codable, Sendable, Equatable {
        /// DefiLlama slug.
        public var slug: String
        /// Name.
        public var name: String
        /// Category.
        public var category: String
        /// Chains.
        public var chains: [String]
        /// TVL, USD × 10^2.
        public var tvlE2: Int64

        public init(slug: String, name: String, category: String, chains: [String], tvlE2: Int64) {
            self.slug = slug
            self.name = name
            self.category = category
            self.chains = chains
            self.tvlE2 = tvlE2
        }

        enum CodingKeys: String, CodingKey {
            case slug
            case name
            case category
            case chains
            case tvlE2 = "tvl_e2"
        }
    }

    /// Protocols as listed.
    public var protocols: [ProtocolTVL]

    public init(protocols: [ProtocolTVL]) {
        self.protocols = protocols
    }

    enum CodingKeys: String, CodingKey {
        case protocols
    }
}
