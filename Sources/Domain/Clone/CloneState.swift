import EventSchemas

/// A clone as its stream tells it: who created it, its public identity, its current private
/// strategy (by hash), and whether it retired. `version` is the stream version the state was
/// folded to, which the next append expects.
public struct CloneState: Sendable, Equatable {
    public var cloneId: String
    public var version: UInt64 = 0
    public var creator = ""
    public var identity = CloneCreated.Identity(name: "", avatarText: "", tagline: "")
    public var strategyHash = ""
    public var granularity = ""
    public var retired = false
    /// The running race the clone is in, if any. Races live in their own streams; whoever folds
    /// the clone (the arena) fills this in before deciding, so the rule stays here.
    public var runningRaceId: String?

    public init(cloneId: String) {
        self.cloneId = cloneId
    }

    /// Whether a `clone.created` was folded.
    public var exists: Bool { version > 0 }
}
