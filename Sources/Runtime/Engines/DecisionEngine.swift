import ClashCore
import Domain
import EventSchemas

/// What an engine is given for one run: the plan, its packet, the market data the packet was built
/// from, the position held in the asset, and the strategy's prompt text.
public struct EngineInput: Sendable {
    public var runId: String
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
public protocol DecisionEngine: Sendable {
    /// hold, rules or model.
    var name: String { get }
    var version: Int64 { get }
    /// Whether a decision waits on something outside the process (a model's endpoint): runs due at
    /// the same time are then decided concurrently.
    var callsOut: Bool { get }
    /// What the decision records so that the engine can be made again to decide the run again (the
    /// rules engine's seed); nil when the records alone replay it.
    var engineSeed: UInt64? { get }
    func decide(_ input: EngineInput) throws -> EngineAnswer
    /// The answer of a run the log already holds, from its records alone (the same input; a pure
    /// engine decides again, a model's recorded exchange is read, never a new call).
    func replay(_ input: EngineInput, recorded: DecisionProposed) throws -> EngineAnswer
    /// Whether `replay` reads the recorded decision (a model's exchange); when not, a run the log
    /// holds is decided again without its record decoded.
    var readsRecords: Bool { get }
}

extension DecisionEngine {
    public var callsOut: Bool { false }
    public var engineSeed: UInt64? { nil }
    public var readsRecords: Bool { false }
    public func replay(_ input: EngineInput, recorded: DecisionProposed) throws -> EngineAnswer { try decide(input) }
}

extension EngineAnswer {
    /// A decision as the log recorded it (a run decided by another engine than the one now asked).
    init(recorded: DecisionProposed) {
        decision = Decision(action: Decision.Action(rawValue: recorded.action) ?? .hold, sizeUsdE6: recorded.sizeUsdE6 ?? 0,
                            leverage: recorded.leverage, stopLossE8: recorded.stopLossE8, takeProfitE8: recorded.takeProfitE8,
                            confidenceBp: recorded.confidenceBp, reason: recorded.reason)
        holdCause = recorded.holdCause
        promptHash = recorded.promptHash
        exchangeHash = recorded.exchangeHash
    }
}

/// Always holds: safe testing.
public struct HoldEngine: DecisionEngine {
    public init() {}
    public var name: String { "hold" }
    public var version: Int64 { 1 }
    public func decide(_ input: EngineInput) throws -> EngineAnswer { EngineAnswer(decision: .hold("the hold engine always holds")) }
}

/// The deterministic rule strategies (`RuleEngine`), seeded, of one version (the current one, or
/// the version a logged decision names when an audit decides it again).
public struct RulesEngine: DecisionEngine {
    /// The seed of a clone's rules engine in the arena and the real-time worker: the deployment's
    /// seed plus the number ending the clone's id (`c-7`: + 7), so a clone decides the same
    /// whatever order it is found in and whichever process runs it.
    public static func seed(base: UInt64, cloneId: String) -> UInt64 {
        base &+ UInt64(Int(cloneId.split(separator: "-").last ?? "") ?? 0)
    }

    public let seed: UInt64
    public let version: Int64
    public init(seed: UInt64, version: Int64 = RuleEngine.version) {
        precondition(RuleEngine.versions.contains(version), "rules engine version \(version) is unknown")
        self.seed = seed
        self.version = version
    }
    public var name: String { "rules" }
    public var engineSeed: UInt64? { seed }
    public func decide(_ input: EngineInput) throws -> EngineAnswer {
        EngineAnswer(decision: RuleEngine.decide(plan: input.plan, latest: input.latest, position: input.position, seed: seed, version: version))
    }
}
