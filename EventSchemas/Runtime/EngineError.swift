/// A decision engine failed on a run; the run holds.
public struct EngineError: CatalogEvent {
    public static let type = "runtime.engine_error"
    public static let version = 1
    public static let summary = "A decision engine failed on a run; the run holds (stream run.<clone>)."

    /// The run.
    public var runId: String
    /// hold, rules or model.
    public var engine: String
    /// timeout, unparseable, http_status or transport.
    public var error: String
    /// What happened.
    public var detail: String

    public init(runId: String, engine: String, error: String, detail: String) {
        self.runId = runId
        self.engine = engine
        self.error = error
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case runId = "run_id"
        case engine
        case error
        case detail
    }
}
