/// An arena slot was freed (the clone retired).
public struct ArenaSlotFreed: CatalogEvent {
    public static let type = "arena.slot_freed"
    public static let version = 1
    public static let summary = "An arena slot was freed (the clone retired) (stream arena)."

    /// The clone that left.
    public var cloneId: String
    /// Slot number.
    public var slot: Int64
    /// retired or rule code.
    public var reason: String

    public init(cloneId: String, slot: Int64, reason: String) {
        self.cloneId = cloneId
        self.slot = slot
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case slot
        case reason
    }
}
