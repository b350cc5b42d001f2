import Canonical

/// Runs of a clone that were not run: they came due while the runtime was not there to run them (a
/// worker down or behind: `missed_cadence`, never run late in a burst), or the clone's strategy did
/// not validate against the market at that minute (`strategy_invalid`: an asset not listed yet or
/// delisted since, with the problem's code), so an audit sees why. One event per due time.
public struct RunSkipped: CatalogEvent {
    public static let type = "runtime.run_skipped"
    public static let version = 2
    public static let summary = "Runs of a clone that were not run: due while no worker ran them, or its strategy did not validate against the market then (stream run.<clone>.<competition>)."

    public static let missedCadence = "missed_cadence"
    public static let strategyInvalid = "strategy_invalid"

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
    /// Why: missed_cadence (a later run of the same plan was already due) or strategy_invalid.
    public var reason: String
    /// With strategy_invalid: the first problem's code (`asset.unknown_asset`, …).
    public var problem: String?

    public init(cloneId: String, competitionId: String, dueMs: Int64, assets: [String], caughtUpMs: Int64,
                reason: String = RunSkipped.missedCadence, problem: String? = nil) {
        self.cloneId = cloneId
        self.competitionId = competitionId
        self.dueMs = dueMs
        self.assets = assets
        self.caughtUpMs = caughtUpMs
        self.reason = reason
        self.problem = problem
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case competitionId = "competition_id"
        case dueMs = "due_ms"
        case assets
        case caughtUpMs = "caught_up_ms"
        case reason
        case problem
    }
}

/// Version 1 (read through its upcaster, never written any more): only missed cadences.
public struct RunSkippedV1: CatalogEvent {
    public static let type = "runtime.run_skipped"
    public static let version = 1
    public static let summary = "Runs of a clone that came due while no worker ran them were skipped, not run late (stream run.<clone>.<competition>)."

    public var cloneId: String
    public var competitionId: String
    public var dueMs: Int64
    public var assets: [String]
    public var caughtUpMs: Int64
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id", competitionId = "competition_id", dueMs = "due_ms", assets, caughtUpMs = "caught_up_ms", reason
    }

    /// v1 → v2: the same members (every v1 reason is missed_cadence, and it names no problem).
    @Sendable static func upcast(_ payload: JSONValue) throws -> JSONValue { payload }
}
