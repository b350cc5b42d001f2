/// A decision engine proposed an action for a run; a model's prompt and answer are in the artifact store.
public struct DecisionProposed: CatalogEvent {
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
}
