/// Chain TVLs (/v2/chains) or one chain's history (/v2/historicalChainTvl).
public struct DefiLlamaChainTVL: CatalogEvent {
    public static let type = "defillama.chain_tvl"
    public static let version = 1
    public static let summary = "Chain TVLs (/v2/chains) or one chain's history (/v2/historicalChainTvl) (stream source.defillama)."

    /// One entry of `DefiLlamaChainTVL`.
    public struct ChainTVLPoint: Codable, Sendable, Equatable {
        /// Chain name.
        public var chain: String
        /// Day (history) or the time of the list.
        public var dateMs: Int64
        /// TVL, USD × 10^2.
        public var tvlE2: Int64
        /// The chain's native token (e.g. ETH for Ethereum), when the list names it.
        public var tokenSymbol: String?

        public init(chain: String, dateMs: Int64, tvlE2: Int64, tokenSymbol: String? = nil) {
            self.chain = chain
            self.dateMs = dateMs
            self.tvlE2 = tvlE2
            self.tokenSymbol = tokenSymbol
        }

        enum CodingKeys: String, CodingKey {
            case chain
            case dateMs = "date_ms"
            case tvlE2 = "tvl_e2"
            case tokenSymbol = "token_symbol"
        }
    }

    /// The chain of a history; absent for the current list of chains.
    public var chain: String?
    /// Chain TVLs (current list) or daily points (history).
    public var points: [ChainTVLPoint]

    public init(chain: String?, points: [ChainTVLPoint]) {
        self.chain = chain
        self.points = points
    }

    enum CodingKeys: String, CodingKey {
        case chain
        case points
    }
}
