import Domain
import Runtime

/// Trading and the arena through the ledger: its log, its artifact store, its Merkle tree.
extension Ledger {
    /// Trades a clone over [fromMs, toMs) of simulated time (the market data's) in a competition,
    /// with its current strategy; `clone.unknown` or `clone.retired` when it cannot trade.
    public func trade(_ cloneId: String, competition: String = "free", fromMs: Int64, toMs: Int64,
                      engine: any DecisionEngine) throws -> TradingRun.Summary {
        let state = try cloneState(cloneId)
        guard state.exists else { throw DomainError("clone.unknown", "no clone has id \(cloneId); `clash clones list` shows the clones") }
        guard !state.retired else { throw DomainError("clone.retired", "clone \(cloneId) is retired; its career is archived") }
        return try TradingRun(log: log, artifacts: artifacts, graph: try strategy(of: cloneId), engine: engine,
                              settings: TradingRun.Settings(cloneId: cloneId, competitionId: competition, fromMs: fromMs, toMs: toMs)).run()
    }

    /// The arena over this ledger: auditions, the queue, races, tickets, settlements and
    /// retirements, each settlement naming this ledger's tree root. `engine` gives each clone's engine.
    public func arena(_ settings: ArenaScheduler.Settings, engine: @escaping (String) throws -> any DecisionEngine) -> ArenaScheduler {
        var settings = settings
        settings.treeDirectory = treeDirectory
        return ArenaScheduler(log: log, artifacts: artifacts, settings: settings, engine: engine)
    }

    /// The arena for commands that trade nothing (tickets, cancellations, retirements): the same
    /// rules and records, no engine.
    public var arenaBookkeeping: ArenaScheduler {
        arena(ArenaScheduler.Settings(originMs: 0)) { _ in HoldEngine() }
    }
}
