import Domain
import LedgerLog

/// How a race is traded and ranked: the one definition the arena runs and an audit runs again.
public enum RaceTrading {
    /// The session trading `lineup` over [fromMs, toMs): each racer with its graph and engine, an
    /// account of `startingEquityE6` in competition `raceId`; over `pipeline` when it is not yet past
    /// `fromMs` (the market view of an earlier race), else a fresh one.
    public static func session(log: any LogStore, artifacts: any ArtifactStore, raceId: String, lineup: [String],
                               graph: (String) throws -> StrategyGraph, engine: (String) throws -> any DecisionEngine,
                               fromMs: Int64, toMs: Int64, startingEquityE6: Int64, storePackets: Bool,
                               fillPolicy: Int64 = FillPolicy.version, pipeline: ContextPipeline? = nil) throws -> TradingSession {
        let racers = try lineup.map { id -> (graph: StrategyGraph, engine: any DecisionEngine, settings: TradingRun.Settings) in
            var settings = TradingRun.Settings(cloneId: id, competitionId: raceId, competitionKind: "race", fromMs: fromMs, toMs: toMs,
                                               startingEquityE6: startingEquityE6, storePackets: storePackets)
            settings.fillPolicy = fillPolicy
            return (try graph(id), try engine(id), settings)
        }
        return try TradingSession(log: log, artifacts: artifacts, clones: racers, pipeline: pipeline)
    }

    /// Each racer's figures from its closing mark: equity and return on marked equity, drawdown.
    public static func standings(lineup: [String], closing summaries: [TradingRun.Summary]) -> [RaceDecider.Standing] {
        zip(lineup, summaries).map { id, summary in
            RaceDecider.Standing(cloneId: id, finalEquityE6: summary.account.equityE6(marks: summary.marks),
                                 returnBp: summary.account.returnBp(marks: summary.marks), maxDrawdownBp: summary.account.maxDrawdownBp,
                                 maxDrawdownE6: summary.account.maxDrawdownE6)
        }
    }
}
