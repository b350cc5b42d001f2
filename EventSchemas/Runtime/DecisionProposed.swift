import Canonical

/// A decision engine proposed an action for a run: the engine's answer as exact integers (USD notional, prices), its rule version and seed, and for a model the prompt and the exchange in the artifact store
public struct DecisionProposed: CatalogEvent {
    public static let type = "runtime.decision_proposed"
    public static let version = 3
    public static let summary = "A decision engine proposed an action for a run, as exact integers; a model's prompt and exchange are in the artifact store (stream run.<clone>.<competition>)."

    /// The run.
    public var runId: String
    /// hold, rules or model.
    public var engine: String
    /// Version of the engine's rules (the rules engine's RuleEngine.version; 0 for a decision upcast from v1).
    public var engineVersion: Int64
    /// open_long, open_short, close or hold.
    public var action: String
    /// Notional the engine asked for, USD × 10^6 (absent only on decisions upcast from v1).
    public var sizeUsdE6: Int64?
    /// Size in coins × 10^8, as version 1 recorded it (upcast decisions only).
    public var sizeE8: Int64?
    /// Leverage asked for.
    public var leverage: Int64
    /// Stop-loss price × 10^8.
    public var stopLossE8: Int64?
    /// Take-profit price × 10^8.
    public var takeProfitE8: Int64?
    /// Confidence, basis points.
    public var confidenceBp: Int64
    /// The engine's reason.
    public var reason: String
    /// SHA-256 of the assembled prompt (model engine), in the artifact store.
    public var promptHash: String?
    /// SHA-256 of the recorded model exchange (request, response, status, latency) in the artifact store.
    public var exchangeHash: String?
    /// Why a hold was forced (timeout, http_status, unparseable, schema), when it was.
    public var holdCause: String?
    /// The rules engine's seed, a decimal string (absent for other engines and on decisions upcast
    /// from v2): with the packet's inputs, all an audit needs to decide the run again.
    public var engineSeed: String?

    public init(runId: String, engine: String, engineVersion: Int64, action: String, sizeUsdE6: Int64? = nil, sizeE8: Int64? = nil, leverage: Int64, stopLossE8: Int64? = nil, takeProfitE8: Int64? = nil, confidenceBp: Int64, reason: String, promptHash: String? = nil, exchangeHash: String? = nil, holdCause: String? = nil, engineSeed: String? = nil) {
        self.runId = runId
        self.engine = engine
        self.engineVersion = engineVersion
        self.action = action
        self.sizeUsdE6 = sizeUsdE6
        self.sizeE8 = sizeE8
        self.leverage = leverage
        self.stopLossE8 = stopLossE8
        self.takeProfitE8 = takeProfitE8
        self.confidenceBp = confidenceBp
        self.reason = reason
        self.promptHash = promptHash
        self.exchangeHash = exchangeHash
        self.holdCause = holdCause
        self.engineSeed = engineSeed
    }

    enum CodingKeys: String, CodingKey {
        case runId = "run_id"
        case engine
        case engineVersion = "engine_version"
        case action
        case sizeUsdE6 = "size_usd_e6"
        case sizeE8 = "size_e8"
        case leverage
        case stopLossE8 = "stop_loss_e8"
        case takeProfitE8 = "take_profit_e8"
        case confidenceBp = "confidence_bp"
        case reason
        case promptHash = "prompt_hash"
        case exchangeHash = "exchange_hash"
        case holdCause = "hold_cause"
        case engineSeed = "engine_seed"
    }
}


/// Version 2 (read through its upcaster, never written any more): A decision engine proposed an action for a run: the engine's answer as exact integers (USD notional, prices), its rule version, and for a model the prompt and the exchange in the artifact store
public struct DecisionProposedV2: CatalogEvent {
    public static let type = "runtime.decision_proposed"
    public static let version = 2
    public static let summary = "A decision engine proposed an action for a run, as exact integers; a model's prompt and exchange are in the artifact store (stream run.<clone>.<competition>)."

    /// The run.
    public var runId: String
    /// hold, rules or model.
    public var engine: String
    /// Version of the engine's rules (the rules engine's RuleEngine.version; 0 for a decision upcast from v1).
    public var engineVersion: Int64
    /// open_long, open_short, close or hold.
    public var action: String
    /// Notional the engine asked for, USD × 10^6 (absent only on decisions upcast from v1).
    public var sizeUsdE6: Int64?
    /// Size in coins × 10^8, as version 1 recorded it (upcast decisions only).
    public var sizeE8: Int64?
    /// Leverage asked for.
    public var leverage: Int64
    /// Stop-loss price × 10^8.
    public var stopLossE8: Int64?
    /// Take-profit price × 10^8.
    public var takeProfitE8: Int64?
    /// Confidence, basis points.
    public var confidenceBp: Int64
    /// The engine's reason.
    public var reason: String
    /// SHA-256 of the assembled prompt (model engine), in the artifact store.
    public var promptHash: String?
    /// SHA-256 of the recorded model exchange (request, response, status, latency) in the artifact store.
    public var exchangeHash: String?
    /// Why a hold was forced (timeout, http_status, unparseable, schema), when it was.
    public var holdCause: String?

    public init(runId: String, engine: String, engineVersion: Int64, action: String, sizeUsdE6: Int64? = nil, sizeE8: Int64? = nil, leverage: Int64, stopLossE8: Int64? = nil, takeProfitE8: Int64? = nil, confidenceBp: Int64, reason: String, promptHash: String? = nil, exchangeHash: String? = nil, holdCause: String? = nil) {
        self.runId = runId
        self.engine = engine
        self.engineVersion = engineVersion
        self.action = action
        self.sizeUsdE6 = sizeUsdE6
        self.sizeE8 = sizeE8
        self.leverage = leverage
        self.stopLossE8 = stopLossE8
        self.takeProfitE8 = takeProfitE8
        self.confidenceBp = confidenceBp
        self.reason = reason
        self.promptHash = promptHash
        self.exchangeHash = exchangeHash
        self.holdCause = holdCause
    }

    enum CodingKeys: String, CodingKey {
        case runId = "run_id"
        case engine
        case engineVersion = "engine_version"
        case action
        case sizeUsdE6 = "size_usd_e6"
        case sizeE8 = "size_e8"
        case leverage
        case stopLossE8 = "stop_loss_e8"
        case takeProfitE8 = "take_profit_e8"
        case confidenceBp = "confidence_bp"
        case reason
        case promptHash = "prompt_hash"
        case exchangeHash = "exchange_hash"
        case holdCause = "hold_cause"
    }

    /// v2 → v3: the same fields; no rules engine seed was recorded (an audit of such a run asks for it).
    @Sendable static func upcast(_ payload: JSONValue) throws -> JSONValue { payload }
}

/// Version 1 (read through its upcaster, never written any more): A decision engine proposed an action for a run; a model's prompt and answer are in the artifact store.
public struct DecisionProposedV1: CatalogEvent {
    public static let type = "runtime.decision_proposed"
    public static let version = 1
    public static let summary = "A decision engine proposed an action for a run; a model's prompt and answer are in the artifact store (stream run.<clone>)."

    /// The run.
    public var runId: String
    /// hold, rules or model.
    public var engine: String
    /// open_long, open_short, close or hold.
    public var action: String
    /// Size in coins × 10^8.
    public var sizeE8: Int64?
    /// Leverage.
    public var leverage: Int64?
    /// Stop-loss price × 10^8.
    public var stopLossE8: Int64?
    /// Take-profit price × 10^8.
    public var takeProfitE8: Int64?
    /// Confidence, basis points.
    public var confidenceBp: Int64
    /// The engine's reason.
    public var reason: String
    /// SHA-256 of the model's raw answer in the artifact store.
    public var responseHash: String?
    /// Why a hold was forced (timeout, unparseable), when it was.
    public var holdCause: String?

    public init(runId: String, engine: String, action: String, sizeE8: Int64?, leverage: Int64?, stopLossE8: Int64?, takeProfitE8: Int64?, confidenceBp: Int64, reason: String, responseHash: String?, holdCause: String?) {
        self.runId = runId
        self.engine = engine
        self.action = action
        self.sizeE8 = sizeE8
        self.leverage = leverage
        self.stopLossE8 = stopLossE8
        self.takeProfitE8 = takeProfitE8
        self.confidenceBp = confidenceBp
        self.reason = reason
        self.responseHash = responseHash
        self.holdCause = holdCause
    }

    enum CodingKeys: String, CodingKey {
        case runId = "run_id"
        case engine
        case action
        case sizeE8 = "size_e8"
        case leverage
        case stopLossE8 = "stop_loss_e8"
        case takeProfitE8 = "take_profit_e8"
        case confidenceBp = "confidence_bp"
        case reason
        case responseHash = "response_hash"
        case holdCause = "hold_cause"
    }

    /// v1 → v2: the coins stay in size_e8 (no USD notional was recorded), engine_version 0,
    /// response_hash becomes exchange_hash, a missing leverage 0.
    @Sendable static func upcast(_ payload: JSONValue) throws -> JSONValue {
        guard case .object(let members) = payload else { throw CatalogUpcastError.missingField("run_id") }
        var out: [(key: String, value: JSONValue)] = []
        for (key, value) in members where key != "response_hash" { out.append((key, value)) }
        if let hash = payload["response_hash"] { out.append(("exchange_hash", hash)) }
        out.append(("engine_version", .integer("0")))
        if payload["leverage"] == nil { out.append(("leverage", .integer("0"))) }
        return .object(out.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) })
    }
}

extension DecisionProposed {
    public func canonicalPayload() throws -> [UInt8] {
        var json = CanonicalJSONWriter(capacity: 512)
        json.beginObject()
        json.key("action"); json.string(action)
        json.key("confidence_bp"); json.int(confidenceBp)
        json.key("engine"); json.string(engine)
        if let engineSeed { json.key("engine_seed"); json.string(engineSeed) }
        json.key("engine_version"); json.int(engineVersion)
        if let exchangeHash { json.key("exchange_hash"); json.string(exchangeHash) }
        if let holdCause { json.key("hold_cause"); json.string(holdCause) }
        json.key("leverage"); json.int(leverage)
        if let promptHash { json.key("prompt_hash"); json.string(promptHash) }
        json.key("reason"); json.string(reason)
        json.key("run_id"); json.string(runId)
        if let sizeE8 { json.key("size_e8"); json.int(sizeE8) }
        if let sizeUsdE6 { json.key("size_usd_e6"); json.int(sizeUsdE6) }
        if let stopLossE8 { json.key("stop_loss_e8"); json.int(stopLossE8) }
        if let takeProfitE8 { json.key("take_profit_e8"); json.int(takeProfitE8) }
        json.endObject()
        return json.bytes
    }
}
