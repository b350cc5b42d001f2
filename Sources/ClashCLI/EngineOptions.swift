import ArgumentParser
import Clash
import Foundation

/// The engines the command line offers.
enum EngineChoice: String, ExpressibleByArgument, CaseIterable {
    case hold, rules, model
}

/// Which engine decides, and for a model where it is and how long it may take.
struct EngineOptions: ParsableArguments {
    @Option(help: "hold, rules or model.") var engine: EngineChoice = .rules
    @Option(help: "Seed of the rules engine.") var seed: UInt64 = 1
    @Option(help: "The model's OpenAI-compatible API base, e.g. https://api.openai.com/v1 (default: $CLASH_MODEL_URL); requests go to <base>/chat/completions. The key is read from $CLASH_MODEL_API_KEY.")
    var modelUrl: String?
    @Option(help: "The model's name (default: $CLASH_MODEL).") var model: String?
    @Option(help: "Seconds a run may spend on the model, retries included.") var modelDeadline: Double = 30
    @Option(help: "Attempts per run at most (429, 5xx and failed connections are retried with backoff).") var modelAttempts = 4
    @Option(help: "Model requests in flight at most.") var modelConcurrency = 4

    func validate() throws {
        guard modelDeadline > 0, modelAttempts >= 1, modelConcurrency >= 1 else {
            throw ValidationError("--model-deadline must be above 0, --model-attempts and --model-concurrency at least 1")
        }
    }

    /// The engine; `rulesSeed` seeds the rules engine (default `--seed`).
    func engine(artifacts: any ArtifactStore, rulesSeed: UInt64? = nil) throws -> any DecisionEngine {
        switch engine {
        case .hold: return HoldEngine()
        case .rules: return RulesEngine(seed: rulesSeed ?? seed)
        case .model: return ModelEngine(settings: try modelSettings(), artifacts: artifacts)
        }
    }

    /// An engine for each clone of an arena: one model engine shared by all (so its concurrency
    /// limit holds over all of them), or the rules engine seeded by the number ending the clone's id.
    func perClone(artifacts: any ArtifactStore) throws -> (String) throws -> any DecisionEngine {
        let model = engine == .model ? try self.engine(artifacts: artifacts) : nil
        return { id in
            try model ?? self.engine(artifacts: artifacts, rulesSeed: RulesEngine.seed(base: seed, cloneId: id))
        }
    }

    func modelSettings() throws -> ModelEngine.Settings {
        let environment = ProcessInfo.processInfo.environment
        guard let text = modelUrl ?? environment["CLASH_MODEL_URL"], let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
            throw ValidationError("--engine model needs --model-url (or $CLASH_MODEL_URL): the API base, e.g. https://api.openai.com/v1")
        }
        guard let name = model ?? environment["CLASH_MODEL"], !name.isEmpty else {
            throw ValidationError("--engine model needs --model (or $CLASH_MODEL): the model's name")
        }
        return ModelEngine.Settings(baseURL: url, model: name, apiKey: environment["CLASH_MODEL_API_KEY"], deadlineSeconds: modelDeadline,
                                    attemptsMax: modelAttempts, concurrency: modelConcurrency)
    }
}
