/// Economic throughput from DefiLlama overviews: fees or DEX volume, in total and per protocol.
public struct DefiLlamaThroughput: CatalogEvent {
    public static let type = "defillama.throughput"
    public static let version = 1
    public static let summary = "Economic throughput from DefiLlama overviews: fees or DEX volume, in total and per protocol (stream source.defillama)."

    /// One entry of `DefiLlamaThroughput`.
    public struct ThroughputEntry: Codable, Sendable, Equatable {
        /// DefiLlama slug.
        public var slug: String
        /// 24 hours, USD × 10^2.
        public var total24hE2: Int64

        public init(slug: String, total24hE2: Int64) {
            self.slug = slug
            self.total24hE2 = total24hE2
        }

        enum CodingKeys: String, CodingKey {
            case slug
            case total24hE2 = "total_24h_e2"
        }
    }

    /// fees or dex_volume.
    public var metric: String
    /// Total over 24 hours, USD × 10^2.
    public var total24hE2: Int64
    /// Total over 7 days, USD × 10^2.
    public var total7dE2: Int64?
    /// Largest protocols.
    public var protocols: [ThroughputEntry]

    public init(metric: String, total24hE2: Int64, total7dE2: Int64?, protocols: [ThroughputEntry]) {
        self.metric = metric
        self.total24hE2 = total24hE2
        self.total7dE2 = total7dE2
        self.protocols = protocols
    }

    enum CodingKeys: String, CodingKey {
        case metric
        case total24hE2 = "total_24h_e2"
        case total7dE2 = "total_7d_e2"
        case protocols
    }
}
