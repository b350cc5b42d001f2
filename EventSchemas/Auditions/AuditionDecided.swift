/// An audition's verdict with every figure behind it.
public struct AuditionDecided: CatalogEvent {
    public static let type = "audition.decided"
    public static let version = 1
    public static let summary = "An audition's verdict with every figure behind it (stream audition.<clone>)."

    /// The clone.
    public var cloneId: String
    /// The audition.
    public var auditionId: String
    /// Version of the pass criteria.
    public var policy: Int64
    /// The verdict.
    public var passed: Bool
    /// The run completed.
    public var completed: Bool
    /// Decisions made.
    public var decisions: Int64
    /// Decisions that failed in the engine.
    public var failedDecisions: Int64
    /// Fewest decisions of any enabled asset in any hour.
    public var minDecisionsPerAssetHour: Int64
    /// Maximum drawdown, basis points.
    public var maxDrawdownBp: Int64
    /// Final return, basis points.
    public var returnBp: Int64
    /// Criteria not met, as codes (empty when passed).
    public var failures: [String]

    public init(cloneId: String, auditionId: String, policy: Int64, passed: Bool, completed: Bool, decisions: Int64, failedDecisions: Int64, minDecisionsPerAssetHour: Int64, maxDrawdownBp: Int64, returnBp: Int64, failures: [String]) {
        self.cloneId = cloneId
        self.auditionId = auditionId
        self.policy = policy
        self.passed = passed
        self.completed = completed
        self.decisions = decisions
        self.failedDecisions = failedDecisions
        self.minDecisionsPerAssetHour = minDecisionsPerAssetHour
        self.maxDrawdownBp = maxDrawdownBp
        self.returnBp = returnBp
        self.failures = failures
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case auditionId = "audition_id"
        case policy
        case passed
        case completed
        case decisions
        case failedDecisions = "failed_decisions"
        case minDecisionsPerAssetHour = "min_decisions_per_asset_hour"
        case maxDrawdownBp = "max_drawdown_bp"
        case returnBp = "return_bp"
        case failures
    }
}
