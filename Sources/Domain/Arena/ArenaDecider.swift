import EventSchemas

/// The arena as its stream (`arena`) leaves it: who holds which slot, who waits in the queue.
public struct ArenaState: Sendable, Equatable {
    /// Slot number (from 1) → clone.
    public var slots: [Int64: String] = [:]
    /// Clones waiting, first in first out by the time their audition passed (ties: lower id).
    public var queue: [(cloneId: String, passedMs: Int64)] = []
    public var version: UInt64 = 0

    public init() {}

    /// The clones in slots, by slot.
    public var racers: [String] { slots.keys.sorted().map { slots[$0]! } }

    public func slot(of cloneId: String) -> Int64? { slots.first { $0.value == cloneId }?.key }

    public static func == (a: ArenaState, b: ArenaState) -> Bool {
        a.slots == b.slots && a.version == b.version && a.queue.map(\.cloneId) == b.queue.map(\.cloneId)
            && a.queue.map(\.passedMs) == b.queue.map(\.passedMs)
    }
}

public enum ArenaCommand: Sendable {
    /// A clone passed its audition at `passedMs`: it queues, and takes a free slot at once if any.
    case admit(cloneId: String, passedMs: Int64, slotCount: Int64)
    /// A clone leaves (retired): its slot frees and the head of the queue takes it; a queued clone
    /// leaves the queue.
    case leave(cloneId: String, reason: String)
}

/// The arena's rules: slots and the promotion queue.
public enum ArenaDecider {
    public static let stream = "arena"
    public static let slotCountDefault: Int64 = 10

    public static func decide(_ command: ArenaCommand, _ state: ArenaState) throws(DomainError) -> [any CatalogEvent] {
        switch command {
        case let .admit(cloneId, passedMs, slotCount):
            guard state.slot(of: cloneId) == nil, !state.queue.contains(where: { $0.cloneId == cloneId }) else {
                throw DomainError("arena.already_in", "clone \(cloneId) is already in the arena or its queue")
            }
            var events: [any CatalogEvent] = [PromotionQueued(cloneId: cloneId, passedMs: passedMs, position: Int64(state.queue.count + 1))]
            var next = state
            for event in events { next = evolve(next, event) }
            events += promotions(next, slotCount: slotCount)
            return events
        case let .leave(cloneId, reason):
            if let slot = state.slot(of: cloneId) {
                var events: [any CatalogEvent] = [ArenaSlotFreed(cloneId: cloneId, slot: slot, reason: reason)]
                let next = evolve(state, events[0])
                if let head = next.queue.first { events.append(ArenaSlotAssigned(cloneId: head.cloneId, slot: slot)) }
                return events
            }
            guard state.queue.contains(where: { $0.cloneId == cloneId }) else {
                throw DomainError("arena.not_in", "clone \(cloneId) is neither in a slot nor queued")
            }
            return [PromotionWithdrawn(cloneId: cloneId, reason: reason)]
        }
    }

    /// The queue's head into each free slot, lowest slot first.
    static func promotions(_ state: ArenaState, slotCount: Int64) -> [any CatalogEvent] {
        let free = (1...max(slotCount, 1)).filter { state.slots[$0] == nil }
        return zip(free, state.queue).map { ArenaSlotAssigned(cloneId: $1.cloneId, slot: $0) }
    }

    public static func evolve(_ state: ArenaState, _ event: any CatalogEvent) -> ArenaState {
        var state = state
        state.version += 1
        switch event {
        case let queued as PromotionQueued:
            state.queue.append((queued.cloneId, queued.passedMs))
            state.queue.sort { ($0.passedMs, $0.cloneId.count, $0.cloneId) < ($1.passedMs, $1.cloneId.count, $1.cloneId) }
        case let assigned as ArenaSlotAssigned:
            state.queue.removeAll { $0.cloneId == assigned.cloneId }
            state.slots[assigned.slot] = assigned.cloneId
        case let freed as ArenaSlotFreed:
            state.slots[freed.slot] = nil
        case let withdrawn as PromotionWithdrawn:
            state.queue.removeAll { $0.cloneId == withdrawn.cloneId }
        default:
            state.version -= 1
        }
        return state
    }

    public static func fold(_ events: [any CatalogEvent]) -> ArenaState { events.reduce(ArenaState(), evolve) }
}
