/// A racer left a race's line-up before the start (its clone retired); its tickets are refunded
/// by the `ticket.refunded` events that follow.
public struct RacerWithdrawn: CatalogEvent {
    public static let type = "race.racer_withdrawn"
    public static let version = 1
    public static let summary = "A racer left a race's line-up before the start; its tickets are refunded (stream race.<id>)."

    public var raceId: String
    /// The clone that left.
    public var cloneId: String
    /// Why, e.g. `retired_by_owner`, `retired_by_rule`.
    public var reason: String

    public init(raceId: String, cloneId: String, reason: String) {
        self.raceId = raceId
        self.cloneId = cloneId
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case raceId = "race_id", cloneId = "clone_id", reason
    }
}
