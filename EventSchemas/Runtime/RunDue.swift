import Canonical

/// A trading-prompt run of one clone and asset became due by its cadence.
public struct RunDue: CatalogEvent {
    public static let type = "runtime.run_due"
    public static let version = 1
    public static let summary = "A trading-prompt run of one clone and asset became due by its cadence (stream run.<clone>)."

    /// The clone.
    public var cloneId: String
    /// The run.
    public var runId: String
    /// The asset.
    public var asset: String
    /// The kind of competition the run is in: free, audition or race (logged as `context`).
    public var competitionKind: String
    /// The competition: `free`, the audition's id or the race's (logged as `context_id`).
    public var competitionId: String
    /// Cadence.
    public var cadenceMs: Int64

    public init(cloneId: String, runId: String, asset: String, competitionKind: String, competitionId: String, cadenceMs: Int64) {
        self.cloneId = cloneId
        self.runId = runId
        self.asset = asset
        self.competitionKind = competitionKind
        self.competitionId = competitionId
        self.cadenceMs = cadenceMs
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case runId = "run_id"
        case asset
        case competitionKind = "context"
        case competitionId = "context_id"
        case cadenceMs = "cadence_ms"
    }
}

extension RunDue {
    public func canonicalPayload() throws -> [UInt8] {
        var json = CanonicalJSONWriter(capacity: 256)
        json.beginObject()
        json.key("asset"); json.string(asset)
        json.key("cadence_ms"); json.int(cadenceMs)
        json.key("clone_id"); json.string(cloneId)
        json.key("context"); json.string(competitionKind)
        json.key("context_id"); json.string(competitionId)
        json.key("run_id"); json.string(runId)
        json.endObject()
        return json.bytes
    }
}
