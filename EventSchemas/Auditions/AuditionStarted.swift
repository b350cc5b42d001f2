/// A clone's 24-hour paper audition started over recorded or generated market data.
public struct AuditionStarted: CatalogEvent {
    public static let type = "audition.started"
    public static let version = 1
    public static let summary = "A clone's 24-hour paper audition started over recorded or generated market data (stream audition.<clone>)."

    /// The clone.
    public var cloneId: String
    /// The audition.
    public var auditionId: String
    /// Version of the pass criteria.
    public var policy: Int64
    /// Start of the simulated day.
    public var fromMs: Int64
    /// End of the simulated day.
    public var toMs: Int64
    /// Seed of generated market data, when generated.
    public var marketSeed: Int64?

    public init(cloneId: String, auditionId: String, policy: Int64, fromMs: Int64, toMs: Int64, marketSeed: Int64?) {
        self.cloneId = cloneId
        self.auditionId = auditionId
        self.policy = policy
        self.fromMs = fromMs
        self.toMs = toMs
        self.marketSeed = marketSeed
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case auditionId = "audition_id"
        case policy
        case fromMs = "from_ms"
        case toMs = "to_ms"
        case marketSeed = "market_seed"
    }
}
