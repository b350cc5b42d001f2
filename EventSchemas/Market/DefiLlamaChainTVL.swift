import Canonical

/// Chain TVLs (/v2/chains) or one chain's history (/v2/historicalChainTvl). Version 2 adds each
/// listed chain's native token.
public struct DefiLlamaChainTVL: CatalogEvent {
    public static let type = "defillama.chain_tvl"
    public static let version = 2
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

/// `defillama.chain_tvl` version 1: the same without the chains' native tokens. Read through its
/// upcaster; never written any more.
public struct DefiLlamaChainTVLV1: CatalogEvent {
    public static let type = "defillama.chain_tvl"
    public static let version = 1
    public static let summary = "Chain TVLs or one chain's history (first version: no native tokens) (stream source.defillama)."

    public struct Point: Codable, Sendable, Equatable {
        public var chain: String
        public var dateMs: Int64
        public var tvlE2: Int64

        enum CodingKeys: String, CodingKey {
            case chain
            case dateMs = "date_ms"
            case tvlE2 = "tvl_e2"
        }
    }

    public var chain: String?
    public var points: [Point]

    /// v1 → v2: every v1 payload is a v2 payload without `token_symbol`.
    @Sendable static func upcast(_ payload: JSONValue) throws -> JSONValue { payload }
}
