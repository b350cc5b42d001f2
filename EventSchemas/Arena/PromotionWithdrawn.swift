/// A queued clone left the promotion queue (it retired before a slot opened).
public struct PromotionWithdrawn: CatalogEvent {
    public static let type = "promotion.withdrawn"
    public static let version = 1
    public static let summary = "A queued clone left the promotion queue before a slot opened (stream arena)."

    /// The clone.
    public var cloneId: String
    /// Why, e.g. `retired_by_owner`.
    public var reason: String

    public init(cloneId: String, reason: String) {
        self.cloneId = cloneId
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id", reason
    }
}
