/// A clone entered the arena in a slot.
public struct ArenaSlotAssigned: CatalogEvent {
    public static let type = "arena.slot_assigned"
    public static let version = 1
    public static let summary = "A clone entered the arena in a slot (stream arena)."

    /// The clone.
    public var cloneId: String
    /// Slot number, from 1.
    public var slot: Int64

    public init(cloneId: String, slot: Int64) {
        self.cloneId = cloneId
        self.slot = slot
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case slot
    }
}
