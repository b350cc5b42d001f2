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

    /// Runs one asset of a clone's strategy once, at `at` (default: the newest logged market
    /// time), and returns the run's events. Refused when the asset's last run in the competition
    /// was less than its cadence before (`run.too_soon`, unless `force`), or when the strategy
    /// trades no such asset then (`run.asset_not_traded`).
    public func runOnce(_ cloneId: String, asset: String, competition: String = "free", at: Int64? = nil, force: Bool = false,
                        engine: any DecisionEngine) throws -> [LogRecord] {
        let state = try cloneState(cloneId)
        guard state.exists, !state.retired else { throw DomainError("clone.unknown", "no active clone has id \(cloneId); `clash clones list` shows the clones") }
        let time: Int64
        if let at { time = at } else {
            let replica = try MarketReplica(log: log)
            try replica.advanceToNewest()
            time = replica.asOfMs
        }
        let runs = Streams.run(clone: cloneId, competition: competition)
        let previous = try log.read(stream: runs).filter { $0.type == RunDue.type }
            .map { (record: $0, due: try EventCatalog.decode($0, as: RunDue.self)) }.last { $0.due.asset == asset && $0.record.timestampMs <= time }
        if let previous, !force, time - previous.record.timestampMs < previous.due.cadenceMs {
            throw DomainError("run.too_soon", "\(asset)'s last run was at \(previous.record.timestampMs), less than its cadence of \(previous.due.cadenceMs) ms before \(time); --force runs it anyway")
        }
        let summary = try TradingRun(log: log, artifacts: artifacts, graph: try strategy(of: cloneId), engine: engine,
                                     settings: TradingRun.Settings(cloneId: cloneId, competitionId: competition, fromMs: time, toMs: time + 1,
                                                                   onlyAsset: asset)).run()
        guard summary.runs == 1 else {
            throw DomainError("run.asset_not_traded", "clone \(cloneId)'s strategy trades no \(asset) as of \(time); `clash pipeline preview --clone \(cloneId)` lists its assets")
        }
        let runId = "run-\(cloneId)-\(competition)-"
        return try [runs, Streams.account(clone: cloneId, competition: competition)].flatMap { stream in
            try log.read(stream: stream).filter { record in
                record.timestampMs == time && (record.correlationId ?? "").hasPrefix(runId) && (record.correlationId ?? "").hasSuffix("-\(asset)-\(time)")
            }
        }
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
