/// A clone's private strategy graph changed (outside a running race); the graph itself is in the artifact store.
public struct CloneStrategyChanged: CatalogEvent {
    public static let type = "clone.strategy_changed"
    public static let version = 1
    public static let summary = "A clone's private strategy graph changed (outside a running race); the graph itself is in the artifact store (stream clone.<id>)."

    /// The clone.
    public var cloneId: String
    /// SHA-256 of the new strategy graph.
    public var strategyHash: String
    /// basic, custom or power_user.
    public var granularity: String

    public init(cloneId: String, strategyHash: String, granularity: String) {
        self.cloneId = cloneId
        self.strategyHash = strategyHash
        self.granularity = granularity
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case strategyHash = "strategy_hash"
        case granularity
    }
}
