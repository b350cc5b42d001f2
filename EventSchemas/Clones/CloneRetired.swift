/// A clone retired: by its owner, or by rule; its career is archived, never deleted.
public struct CloneRetired: CatalogEvent {
    public static let type = "clone.retired"
    public static let version = 1
    public static let summary = "A clone retired: by its owner, or by rule; its career is archived, never deleted (stream clone.<id>)."

    /// The clone.
    public var cloneId: String
    /// owner or rule code, e.g. consecutive_last_places.
    public var reason: String
    /// Version of the retirement policy applied (0 for an owner's retirement).
    public var retirementPolicy: Int64

    public init(cloneId: String, reason: String, retirementPolicy: Int64) {
        self.cloneId = cloneId
        self.reason = reason
        self.retirementPolicy = retirementPolicy
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case reason
        case retirementPolicy = "retirement_policy"
    }
}
