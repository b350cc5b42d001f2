/// Stablecoin supplies from DefiLlama.
public struct DefiLlamaStablecoins: CatalogEvent {
    public static let type = "defillama.stablecoins"
    public static let version = 1
    public static let summary = "Stablecoin supplies from DefiLlama (stream source.defillama)."

    /// One entry of `DefiLlamaStablecoins`.
    public struct Stablecoin: Codable, Sendable, Equatable {
        /// Symbol.
        public var symbol: String
        /// Name.
        public var name: String
        /// Peg type, e.g. peggedusd.
        public var peg: String
        /// Circulating supply in peg units × 10^2.
        public var circulatingE2: Int64
        /// Chains.
        public var chains: [String]

        public init(symbol: String, name: String, peg: String, circulatingE2: Int64, chains: [String]) {
            self.symbol = symbol
            self.name = name
            self.peg = peg
            self.circulatingE2 = circulatingE2
            self.chains = chains
        }

        enum CodingKeys: String, CodingKey {
            case symbol
            case name
            case peg
            case circulatingE2 = "circulating_e2"
            case chains
        }
    }

    /// Stablecoins as listed.
    public var stablecoins: [Stablecoin]

    public init(stablecoins: [Stablecoin]) {
        self.stablecoins = stablecoins
    }

    enum CodingKeys: String, CodingKey {
        case stablecoins
    }
}
