import ClashCore
import Domain
import LedgerLog
import Projections

/// Strategy graphs to context packets over a market replica: compile a graph into read plans as
/// of the replica's time, and build each plan's packet. Each asset's view is built once per time
/// and shared by every plan that reads it.
public final class ContextPipeline {
    public let replica: MarketReplica
    private var views: [String: AssetView] = [:]
    private var latests: [String: AssetLatest?] = [:]
    private var facts: [String: AssetLatest?] = [:]

    public init(log: any LogReading) throws {
        replica = try MarketReplica(log: log)
    }

    public var asOfMs: Int64 { replica.asOfMs }
    public var throughSequence: UInt64 { replica.throughSequence }

    /// Moves the market to `time` (forward only).
    public func advance(to time: Int64) throws {
        try replica.advance(to: time)
        views.removeAll(keepingCapacity: true)
        latests.removeAll(keepingCapacity: true)
        facts.removeAll(keepingCapacity: true)
    }

    /// Moves the market to its newest event's time.
    public func advanceToNewest() throws {
        try replica.advanceToNewest()
        views.removeAll(keepingCapacity: true)
        latests.removeAll(keepingCapacity: true)
        facts.removeAll(keepingCapacity: true)
    }

    /// The graph's problems against market memory as of now.
    public func problems(_ graph: StrategyGraph) throws -> [GraphProblem] {
        try replica.withMemory { graph.problems(universe: MarketUniverse(memory: $0.memory)) }
    }

    /// The graph's read plans as of now: its asset selections expanded against market memory.
    public func plans(_ graph: StrategyGraph) throws -> [ReadPlan] {
        try replica.withMemory { memory throws in try graph.readPlans(universe: MarketUniverse(memory: memory.memory)) }
    }

    /// One asset's view as of now.
    public func view(_ symbol: String) throws -> AssetView {
        if let view = views[symbol] { return view }
        let view = try AssetView(symbol: symbol, asOfMs: replica.asOfMs, latest: try latest(symbol))
        views[symbol] = view
        return view
    }

    /// One asset's market data as of now (what its view is built from; nil when not listed).
    public func latest(_ symbol: String) throws -> AssetLatest? {
        if let known = latests[symbol] { return known }
        let time = replica.asOfMs
        let latest = try replica.withMemory { try $0.latest(symbol, asOfMs: time) }
        latests[symbol] = latest
        return latest
    }

    /// Reads the market data of `symbols` as of now, ahead of the runs that will read it (in one
    /// read of market memory).
    public func prefetch(_ symbols: Set<String>) throws {
        let missing = symbols.sorted().filter { latests[$0] == nil }
        guard !missing.isEmpty else { return }
        let time = replica.asOfMs
        try replica.withMemory { memory in
            for symbol in missing { latests[symbol] = try memory.latest(symbol, asOfMs: time) }
        }
    }

    /// An asset's price, spread, funding and limits as of now (`AssetMemory.tradingFacts`; the
    /// view's data when it was read): what marks, triggers, funding and liquidation read.
    public func tradingFacts(_ symbol: String) throws -> AssetLatest? {
        if let known = latests[symbol] { return known }
        if let known = facts[symbol] { return known }
        let time = replica.asOfMs
        let latest = try replica.withMemory { try $0.tradingFacts(symbol, asOfMs: time) }
        facts[symbol] = latest
        return latest
    }

    /// The packet of a plan as of now.
    public func packet(_ plan: ReadPlan) throws -> ContextPacket {
        ContextPacket.build(plan: plan, view: try view(plan.asset), throughSequence: replica.throughSequence)
    }
}
