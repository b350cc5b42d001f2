import Domain
import EventSchemas
import LedgerLog
import Runtime

/// The engine a clone's logged decisions name, made again from the records alone: the rules
/// engine with the seed each decision records (it decides again), the hold engine, or a model
/// whose answers are read from the recorded exchanges (never a new call; the prompt is assembled
/// again and its hash checked against the one recorded).
struct AuditEngine: DecisionEngine {
    let name: String
    let version: Int64
    let rules: RulesEngine?
    let artifacts: any ArtifactStore

    /// From the first decision the log holds for the clone in the race (nil: the clone made none,
    /// and any engine decides nothing).
    init(first decision: DecisionProposed?, sequence: UInt64?, artifacts: any ArtifactStore) throws {
        self.artifacts = artifacts
        name = decision?.engine ?? "hold"
        version = decision?.engineVersion ?? 1
        switch name {
        case "rules":
            guard let text = decision?.engineSeed, let seed = UInt64(text) else {
                throw AuditError.cannotAudit("the decision at sequence \(sequence ?? 0) records no rules engine seed (decisions before runtime.decision_proposed v3 do not); it cannot be decided again")
            }
            guard RuleEngine.versions.contains(version) else {
                throw AuditError.cannotAudit("the decision at sequence \(sequence ?? 0) was made by rules engine version \(version); this build knows versions \(RuleEngine.versions.lowerBound) to \(RuleEngine.versions.upperBound)")
            }
            rules = RulesEngine(seed: seed, version: version)
        case "hold", "model":
            guard name == "hold" || version == ModelEngine.version else {
                throw AuditError.cannotAudit("the decision at sequence \(sequence ?? 0) was made by model engine version \(version); this build reads version \(ModelEngine.version)")
            }
            rules = nil
        default:
            throw AuditError.cannotAudit("the decision at sequence \(sequence ?? 0) names engine \(name.debugDescription), which this build does not know")
        }
    }

    var engineSeed: UInt64? { rules?.seed }
    var readsRecords: Bool { name == "model" }

    func decide(_ input: EngineInput) throws -> EngineAnswer {
        if let rules { return try rules.decide(input) }
        if name == "hold" { return try HoldEngine().decide(input) }
        throw AuditError.cannotAudit("run \(input.runId) has no model decision in the log to read the answer from")
    }

    func replay(_ input: EngineInput, recorded: DecisionProposed) throws -> EngineAnswer {
        guard name == "model" else { return try decide(input) }
        guard let exchangeHash = recorded.exchangeHash else { return try decide(input) }
        let exchange = try ModelExchange.decode(try artifacts.get(exchangeHash), hash: exchangeHash)
        let prompt = PromptAssembly.assemble(strategyPrompt: input.promptText, packet: input.packet)
        return ModelEngine.answer(from: exchange, promptHash: ContentHash.of(prompt.bytes), exchangeHash: exchangeHash)
    }
}
