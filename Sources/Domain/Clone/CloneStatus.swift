import EventSchemas

/// Where a clone is in its life — the one definition every view of a clone's status reads (the
/// clones and arena read models, `clones show`, the Hall of Fame):
///
///     created -> auditioning -> failed
///                            -> queued -> racing
///                            -> racing            (a free slot at once)
///     any of them -> retired                      (final: the career is archived)
///
/// A passed audition moves the clone on when the arena admits it (queued, or a slot), which the
/// same append records.
public enum CloneStatus: String, Sendable, CaseIterable {
    case created, auditioning, failed, queued, racing, retired

    /// The events that move a clone along its life.
    public static let eventTypes: Set<String> = [
        CloneCreated.type, AuditionStarted.type, AuditionDecided.type, PromotionQueued.type, ArenaSlotAssigned.type, CloneRetired.type,
    ]

    /// The clone an event of `eventTypes` moves, and its status after it; nil for any other event.
    public static func transition(_ event: any CatalogEvent) -> (cloneId: String, status: CloneStatus)? {
        switch event {
        case let created as CloneCreated: (created.cloneId, .created)
        case let started as AuditionStarted: (started.cloneId, .auditioning)
        case let decided as AuditionDecided: decided.passed ? nil : (decided.cloneId, .failed)
        case let queued as PromotionQueued: (queued.cloneId, .queued)
        case let assigned as ArenaSlotAssigned: (assigned.cloneId, .racing)
        case let retired as CloneRetired: (retired.cloneId, .retired)
        default: nil
        }
    }

    /// The status after moving to `next`: retirement is final.
    public func moved(to next: CloneStatus) -> CloneStatus { self == .retired ? .retired : next }
}
