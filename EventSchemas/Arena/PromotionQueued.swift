/// A clone that passed its audition waits for an arena slot (first in, first out by pass time; ties by lower clone id).
public struct PromotionQueued: CatalogEvent {
    public static let type = "promotion.queued"
    public static let version = 1
    public static let summary = "A clone that passed its audition waits for an arena slot (first in, first out by pass time; ties by lower clone id) (stream arena)."

    /// The clone.
    public var cloneId: String
    /// When its audition passed.
    public var passedMs: Int64
    /// Position in the queue, from 1.
    public var position: Int64

    public init(cloneId: String, passedMs: Int64, position: Int64) {
        self.cloneId = cloneId
        self.passedMs = passedMs
        self.position = position
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case passedMs = "passed_ms"
        case position
    }
}
