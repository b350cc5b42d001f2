/// Runs of a clone that came due while the runtime was not there to run them (a worker down or
/// behind): recorded as skipped, never run late in a burst. One event per due time.
public struct RunSkipped: CatalogEvent {
    public static let type = "runtime.run_skipped"
    public static let version = 1
    public static let summary = "Runs of a clone that came due while no worker ran them were skipped, not run late (stream run.<clone>.<competition>)."

    /// The clone.
    public var cloneId: String
    /// The competition (audition, race or a free run's name).
    public var competitionId: String
    /// When the runs were due, ms.
    public var dueMs: Int64
    /// The assets whose runs were skipped, in order.
    public var assets: [String]
    /// When the runtime caught up (the newest market time it saw), ms.
    public var caughtUpMs: Int64
    /// Why: missed_cadence (a later run of the same plan was already due).
    public var reason: String

    public init(cloneId: String, competitionId: String, dueMs: Int64, assets: [String], caughtUpMs: Int64, reason: String = "missed_cadence") {
        self.cloneId = cloneId
        self.competitionId = competitionId
        self.dueMs = dueMs
        self.assets = assets
        self.caughtUpMs = caughtUpMs
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case competitionId = "competition_id"
        case dueMs = "due_ms"
        case assets
        case caughtUpMs = "caught_up_ms"
        case reason
    }
}
