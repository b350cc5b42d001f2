import ClashCore
import Domain

/// What an engine is given for one run: the plan, its packet, the market data the packet was built
/// from, the position held in the asset, and the strategy's prompt text.
public struct EngineInput {
    public var plan: ReadPlan
    public var packet: ContextPacket
    public var latest: AssetLatest?
    public var position: PaperAccount.Position?
    public var promptText: String
}

/// An engine's answer: the decision, and what stands behind it.
public struct EngineAnswer: Sendable, Equatable {
    public var decision: Decision
    /// Why a hold was forced (timeout, http_status, unparseable, schema), when it was.
    public var holdCause: String?
    public var promptHash: String?
    /// The recorded model exchange in the artifact store.
    public var exchangeHash: String?

    public init(decision: Decision, holdCause: String? = nil, promptHash: String? = nil, exchangeHash: String? = nil) {
        self.decision = decision
        self.holdCause = holdCause
        self.promptHash = promptHash
        self.exchangeHash = exchangeHash
    }
}

/// Proposes an action per run. Engines never read the clock or the network outside what they
/// record: the same inputs (and records) give the same answers on a replay.
public protocol DecisionEngine {
    /// hold, rules or model.
    var name: String { get }
    var version: Int64 { get }
    func decide(_ input: EngineInput) throws -> EngineAnswer
}

/// Always holds: safe testing.
public struct HoldEngine: DecisionEngine {
    public init() {}
    public var name: String { "hold" }
    public var version: Int64 { 1 }
    public func decide(_ input: EngineInput) throws -> EngineAnswer { EngineAnswer(decision: .hold("the hold engine always holds")) }
}

/// The deterministic rule strategies (`RuleEngine`), seeded.
public struct RulesEngine: DecisionEngine {
    public let seed: UInt64
    public init(seed: UInt64) { self.seed = seed }
    public var name: String { "rules" }
    public var version: Int64 { RuleEngine.version }
    public func decide(_ input: EngineInput) throws -> EngineAnswer {
        EngineAnswer(decision: RuleEngine.decide(plan: input.plan, latest: input.latest, position: input.position, seed: seed))
    }
}
