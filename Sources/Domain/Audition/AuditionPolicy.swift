import EventSchemas

/// The audition's pass criteria, policy v1: the run completed; at least one decision per enabled
/// asset in every hour; at most 5% of decisions failed in the engine; maximum drawdown at most
/// 30%; final return above −10%.
public enum AuditionPolicy {
    public static let version: Int64 = 1
    public static let durationMs: Int64 = 24 * 3_600_000
    public static let engineFailuresMaxBp: Int64 = 500
    public static let drawdownMaxBp: Int64 = 3_000
    public static let returnAboveBp: Int64 = -1_000

    /// The figures an audition is judged on.
    public struct Figures: Sendable, Equatable {
        public var completed: Bool
        public var decisions: Int64
        public var failedDecisions: Int64
        /// Fewest decisions of any enabled asset in any hour.
        public var minDecisionsPerAssetHour: Int64
        public var maxDrawdownBp: Int64
        public var returnBp: Int64

        public init(completed: Bool, decisions: Int64, failedDecisions: Int64, minDecisionsPerAssetHour: Int64, maxDrawdownBp: Int64, returnBp: Int64) {
            self.completed = completed
            self.decisions = decisions
            self.failedDecisions = failedDecisions
            self.minDecisionsPerAssetHour = minDecisionsPerAssetHour
            self.maxDrawdownBp = maxDrawdownBp
            self.returnBp = returnBp
        }
    }

    /// The criteria not met, as codes, in the policy's order (empty: passed).
    public static func failures(_ figures: Figures) -> [String] {
        var failures: [String] = []
        if !figures.completed { failures.append("incomplete") }
        if figures.minDecisionsPerAssetHour < 1 { failures.append("decisions_per_asset_hour") }
        if figures.decisions == 0 || figures.failedDecisions * 10_000 > figures.decisions * engineFailuresMaxBp { failures.append("engine_failures") }
        if figures.maxDrawdownBp > drawdownMaxBp { failures.append("max_drawdown") }
        if figures.returnBp <= returnAboveBp { failures.append("return") }
        return failures
    }

    /// The verdict event.
    public static func verdict(cloneId: String, auditionId: String, _ figures: Figures) -> AuditionDecided {
        let failures = failures(figures)
        return AuditionDecided(cloneId: cloneId, auditionId: auditionId, policy: version, passed: failures.isEmpty, completed: figures.completed,
                               decisions: figures.decisions, failedDecisions: figures.failedDecisions,
                               minDecisionsPerAssetHour: figures.minDecisionsPerAssetHour, maxDrawdownBp: figures.maxDrawdownBp,
                               returnBp: figures.returnBp, failures: failures)
    }
}
