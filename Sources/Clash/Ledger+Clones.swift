import Foundation
import GRDB

/// Clones: created, changed and retired through the clone's decider, their strategy graphs kept
/// in the artifact store (written and fsynced before the event that names them).
extension Ledger {
    /// The audition fee recorded at creation unless another is given: 0.01 ETH.
    public static let auditionFeeWeiDefault = Wei(10_000_000_000_000_000)

    /// A clone's state, folded from its stream, with the running race it is in (from the arena's
    /// read model), so the decider refuses what a racing clone may not do.
    public func cloneState(_ cloneId: String) throws -> CloneState {
        var state = try log.cloneState(cloneId)
        state.runningRaceId = try queries.runningRace(of: cloneId)
        return state
    }

    /// Creates a clone whose strategy is `graph`: the graph is validated (against market memory
    /// too), stored, and `clone.created` appended, expecting no stream yet. Returns the clone's id
    /// (`c-<n>` unless given) and the strategy hash.
    @discardableResult
    public func createClone(id: String? = nil, owner: String, identity: CloneCreated.Identity, graph: StrategyGraph,
                            auditionFeeWei: Wei = Ledger.auditionFeeWeiDefault) throws -> (cloneId: String, strategyHash: String) {
        let cloneId = try id ?? nextCloneId()
        let state = try cloneState(cloneId)
        let hash = try graph.hash()
        // The rules first (nothing stored for a refused command), then the graph, then the event.
        let events = try CloneDecider.decide(.create(creator: owner, identity: identity, strategyHash: hash,
                                                     granularity: graph.granularity.rawValue, auditionFeeWei: auditionFeeWei), state)
        try store(graph)
        try append(events, to: state)
        return (cloneId, hash)
    }

    /// Replaces a clone's strategy (its owner only; never while it races).
    @discardableResult
    public func changeStrategy(_ cloneId: String, owner: String, graph: StrategyGraph) throws -> String {
        let state = try cloneState(cloneId)
        let hash = try graph.hash()
        let events = try CloneDecider.decide(.changeStrategy(by: owner, strategyHash: hash, granularity: graph.granularity.rawValue), state)
        try store(graph)
        try append(events, to: state)
        return hash
    }

    /// Changes a clone's public identity (its owner only).
    public func changeIdentity(_ cloneId: String, owner: String, identity: CloneCreated.Identity) throws {
        let state = try cloneState(cloneId)
        try append(try CloneDecider.decide(.changeIdentity(by: owner, identity: identity), state), to: state)
    }

    /// Retires a clone by its owner; its career stays in the log and the read models.
    public func retireClone(_ cloneId: String, owner: String) throws {
        let state = try cloneState(cloneId)
        try append(try CloneDecider.decide(.retire(by: owner), state), to: state)
    }

    /// A clone's current strategy graph, read from the artifact store and checked against its hash.
    public func strategy(of cloneId: String) throws -> StrategyGraph {
        let state = try cloneState(cloneId)
        guard state.exists else { throw DomainError("clone.unknown", "no clone has id \(cloneId); `clash clones list` shows the clones") }
        return try StrategyGraph.decode(try artifacts.get(state.strategyHash))
    }

    /// Every problem of a graph, against market memory as the ledger holds it now.
    public func validate(_ graph: StrategyGraph) throws {
        let problems = try marketMemory { graph.problems(universe: MarketUniverse(memory: $0.memory)) }
        if !problems.isEmpty { throw GraphProblems(problems) }
    }

    /// Validates a graph and stores it, before any event names it.
    private func store(_ graph: StrategyGraph) throws {
        try validate(graph)
        try artifacts.put(try graph.canonicalBytes())
    }

    private func nextCloneId() throws -> String {
        let count = try query("clones") { try Int.fetchOne($0, sql: "SELECT count(*) FROM clone") ?? 0 }
        return "c-\(count + 1)"
    }

    private func append(_ events: [CloneEvent], to state: CloneState) throws {
        guard !events.isEmpty else { return }
        let stream = CloneDecider.stream(state.cloneId)
        let now = clock.nowMilliseconds()
        let drafts = try events.map { try $0.event.draft(id: ids.next(), stream: stream, timestampMs: now) }
        for draft in drafts { try EventCatalog.check(draft) }
        try log.append(drafts, expectations: [stream: state.exists ? .exactly(state.version) : .noStream])
    }
}
