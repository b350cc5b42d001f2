import Canonical

/// An accepted action became a dry-run (paper) order.
public struct OrderDryRun: CatalogEvent {
    public static let type = "runtime.order_dry_run"
    public static let version = 1
    public static let summary = "An accepted action became a dry-run (paper) order (stream run.<clone>)."

    /// The run.
    public var runId: String
    /// The order.
    public var orderId: String
    /// Asset.
    public var asset: String
    /// buy or sell.
    public var side: String
    /// Size in coins × 10^8.
    public var sizeE8: Int64
    /// Leverage.
    public var leverage: Int64
    /// Reduce only (a close).
    public var reduceOnly: Bool

    public init(runId: String, orderId: String, asset: String, side: String, sizeE8: Int64, leverage: Int64, reduceOnly: Bool) {
        self.runId = runId
        self.orderId = orderId
        self.asset = asset
        self.side = side
        self.sizeE8 = sizeE8
        self.leverage = leverage
        self.reduceOnly = reduceOnly
    }

    enum CodingKeys: String, CodingKey {
        case runId = "run_id"
        case orderId = "order_id"
        case asset
        case side
        case sizeE8 = "size_e8"
        case leverage
        case reduceOnly = "reduce_only"
    }
}

extension OrderDryRun {
    public func canonicalPayload() throws -> [UInt8] {
        var json = CanonicalJSONWriter(capacity: 256)
        json.beginObject()
        json.key("asset"); json.string(asset)
        json.key("leverage"); json.int(leverage)
        json.key("order_id"); json.string(orderId)
        json.key("reduce_only"); json.bool(reduceOnly)
        json.key("run_id"); json.string(runId)
        json.key("side"); json.string(side)
        json.key("size_e8"); json.int(sizeE8)
        json.endObject()
        return json.bytes
    }
}
