import Canonical

/// A safety gate rejected a proposed action, with a stable reason code.
public struct GateRejected: CatalogEvent {
    public static let type = "runtime.gate_rejected"
    public static let version = 1
    public static let summary = "A safety gate rejected a proposed action, with a stable reason code (stream run.<clone>)."

    /// The run.
    public var runId: String
    /// unknown_asset, stale_data, leverage, notional_order, notional_account, min_size, free_margin, open_positions, reduce_only, price_band, rate_limit or kill_switch.
    public var gate: String
    /// What exceeded what.
    public var detail: String

    public init(runId: String, gate: String, detail: String) {
        self.runId = runId
        self.gate = gate
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case runId = "run_id"
        case gate
        case detail
    }
}

extension GateRejected {
    public func canonicalPayload() throws -> [UInt8] {
        var json = CanonicalJSONWriter(capacity: 256)
        json.beginObject()
        json.key("detail"); json.string(detail)
        json.key("gate"); json.string(gate)
        json.key("run_id"); json.string(runId)
        json.endObject()
        return json.bytes
    }
}
