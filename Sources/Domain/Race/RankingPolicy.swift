import EventSchemas

/// How a race's racers are ranked at its end, by version. Every racer starts with the same paper
/// equity, so the return on marked equity orders racers as their final marked equity does.
///
/// - v2 (current): final marked equity, higher first, compared exactly (USD × 10^6, the integer the
///   account holds); then maximum drawdown, lower first, exactly (USD × 10^6 fallen from a peak);
///   a dead heat only when both are exactly equal.
/// - v1 (races ended before v2; audits replay it): return and drawdown rounded to whole basis
///   points first, so unequal results could tie and a small gain rank below no trade at all.
///
/// Racers equal under the policy share a rank, and the next rank skips as many (1, 1, 3).
public enum RankingPolicy {
    /// The version new races are ranked under.
    public static let version = 2
    /// The versions this build can rank (and so audit).
    public static let known: ClosedRange<Int> = 1...2

    /// The racers ranked under `policy`, each with its figures and the tickets bought on it.
    public static func rank(_ standings: [RaceDecider.Standing], tickets: [String: Int64], policy: Int) throws(DomainError) -> [RacerResult] {
        guard known.contains(policy) else {
            throw DomainError("race.ranking_policy", "ranking policy v\(policy) is unknown to this build, which knows v\(known.lowerBound) to v\(known.upperBound)")
        }
        /// What the policy compares, best first when sorted ascending.
        func key(_ standing: RaceDecider.Standing) -> (Int64, Int64) {
            policy == 1 ? (-standing.returnBp, standing.maxDrawdownBp) : (-standing.finalEquityE6, standing.maxDrawdownE6)
        }
        let sorted = standings.sorted { key($0) < key($1) || (key($0) == key($1) && $0.cloneId < $1.cloneId) }
        var results: [RacerResult] = []
        for (index, standing) in sorted.enumerated() {
            let tied = index > 0 && key(sorted[index - 1]) == key(standing)
            results.append(RacerResult(cloneId: standing.cloneId, rank: tied ? results[index - 1].rank : index + 1,
                                       finalEquityE6: standing.finalEquityE6, returnBp: standing.returnBp,
                                       maxDrawdownBp: standing.maxDrawdownBp, maxDrawdownE6: policy == 1 ? nil : standing.maxDrawdownE6,
                                       tickets: tickets[standing.cloneId] ?? 0))
        }
        return results
    }

    /// Whether `result` is a last place of its race (what the retirement rule counts): the lowest
    /// rank of more than one racer, unless every racer shares it (a dead heat of all is no last place).
    public static func isLastPlace(_ result: RacerResult, in results: [RacerResult]) -> Bool {
        let lowest = results.map(\.rank).max() ?? 0
        return results.count > 1 && lowest > 1 && result.rank == lowest
    }
}
