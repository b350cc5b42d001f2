import Canonical

/// The paper fill simulator filled an order against logged market data, naming the mid and the spread it used and the log sequence each came from, so that anyone can recompute the price, size, notional and fee (fill policy v1: mid plus half the spread, or 5 bp without one; taker fee 0.045%; each rounded against the account)
public struct Fill: CatalogEvent {
    public static let type = "runtime.fill"
    public static let version = 2
    public static let summary = "The paper fill simulator filled an order, naming the mid and spread it used and their log sequences (stream account.<clone>.<competition>)."

    /// The order.
    public var orderId: String
    /// The clone.
    public var cloneId: String
    /// The competition the account belongs to (absent on fills upcast from v1).
    public var competitionId: String?
    /// Asset.
    public var asset: String
    /// buy or sell.
    public var side: String
    /// decision, stop_loss, take_profit or liquidation (absent on fills upcast from v1).
    public var cause: String?
    /// Size in coins × 10^8.
    public var sizeE8: Int64
    /// Fill price × 10^8.
    public var priceE8: Int64
    /// Size × price, USD × 10^6, rounded down.
    public var notionalE6: Int64?
    /// Taker fee, USD × 10^6, rounded up.
    public var feeE6: Int64
    /// The mid the price was made from, × 10^8.
    public var midE8: Int64?
    /// Log sequence of the event the mid came from.
    public var midSequence: Int64?
    /// The book's spread used, basis points (absent: no spread logged, the default slippage applied).
    public var spreadBp: Int64?
    /// Log sequence of the book summary the spread came from.
    public var spreadSequence: Int64?
    /// Slippage applied from the mid, hundredths of a basis point (half the spread, or the default).
    public var slippageCentiBp: Int64?
    /// Version of the fill policy.
    public var fillPolicy: Int64

    public init(orderId: String, cloneId: String, competitionId: String? = nil, asset: String, side: String, cause: String? = nil, sizeE8: Int64, priceE8: Int64, notionalE6: Int64? = nil, feeE6: Int64, midE8: Int64? = nil, midSequence: Int64? = nil, spreadBp: Int64? = nil, spreadSequence: Int64? = nil, slippageCentiBp: Int64? = nil, fillPolicy: Int64) {
        self.orderId = orderId
        self.cloneId = cloneId
        self.competitionId = competitionId
        self.asset = asset
        self.side = side
        self.cause = cause
        self.sizeE8 = sizeE8
        self.priceE8 = priceE8
        self.notionalE6 = notionalE6
        self.feeE6 = feeE6
        self.midE8 = midE8
        self.midSequence = midSequence
        self.spreadBp = spreadBp
        self.spreadSequence = spreadSequence
        self.slippageCentiBp = slippageCentiBp
        self.fillPolicy = fillPolicy
    }

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case cloneId = "clone_id"
        case competitionId = "competition_id"
        case asset
        case side
        case cause
        case sizeE8 = "size_e8"
        case priceE8 = "price_e8"
        case notionalE6 = "notional_e6"
        case feeE6 = "fee_e6"
        case midE8 = "mid_e8"
        case midSequence = "mid_sequence"
        case spreadBp = "spread_bp"
        case spreadSequence = "spread_sequence"
        case slippageCentiBp = "slippage_centi_bp"
        case fillPolicy = "fill_policy"
    }
}


/// Version 1 (read through its upcaster, never written any more): The paper fill simulator filled an order against logged market data (policy v1: mid plus half the spread, taker fee 0.045%).
public struct FillV1: CatalogEvent {
    public static let type = "runtime.fill"
    public static let version = 1
    public static let summary = "The paper fill simulator filled an order against logged market data (policy v1: mid plus half the spread, taker fee 0.045%) (stream account.<clone>)."

    /// The order.
    public var orderId: String
    /// The clone.
    public var cloneId: String
    /// Asset.
    public var asset: String
    /// buy or sell.
    public var side: String
    /// Size in coins × 10^8.
    public var sizeE8: Int64
    /// Fill price × 10^8.
    public var priceE8: Int64
    /// Fee, USD × 10^6.
    public var feeE6: Int64
    /// Version of the fill policy.
    public var fillPolicy: Int64

    public init(orderId: String, cloneId: String, asset: String, side: String, sizeE8: Int64, priceE8: Int64, feeE6: Int64, fillPolicy: Int64) {
        self.orderId = orderId
        self.cloneId = cloneId
        self.asset = asset
        self.side = side
        self.sizeE8 = sizeE8
        self.priceE8 = priceE8
        self.feeE6 = feeE6
        self.fillPolicy = fillPolicy
    }

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case cloneId = "clone_id"
        case asset
        case side
        case sizeE8 = "size_e8"
        case priceE8 = "price_e8"
        case feeE6 = "fee_e6"
        case fillPolicy = "fill_policy"
    }

    /// v1 → v2: the same fields; v1 did not record the market data the fill used.
    @Sendable static func upcast(_ payload: JSONValue) throws -> JSONValue { payload }
}

extension Fill {
    public func canonicalPayload() throws -> [UInt8] {
        var json = CanonicalJSONWriter(capacity: 512)
        json.beginObject()
        json.key("asset"); json.string(asset)
        if let cause { json.key("cause"); json.string(cause) }
        json.key("clone_id"); json.string(cloneId)
        if let competitionId { json.key("competition_id"); json.string(competitionId) }
        json.key("fee_e6"); json.int(feeE6)
        json.key("fill_policy"); json.int(fillPolicy)
        if let midE8 { json.key("mid_e8"); json.int(midE8) }
        if let midSequence { json.key("mid_sequence"); json.int(midSequence) }
        if let notionalE6 { json.key("notional_e6"); json.int(notionalE6) }
        json.key("order_id"); json.string(orderId)
        json.key("price_e8"); json.int(priceE8)
        json.key("side"); json.string(side)
        json.key("size_e8"); json.int(sizeE8)
        if let slippageCentiBp { json.key("slippage_centi_bp"); json.int(slippageCentiBp) }
        if let spreadBp { json.key("spread_bp"); json.int(spreadBp) }
        if let spreadSequence { json.key("spread_sequence"); json.int(spreadSequence) }
        json.endObject()
        return json.bytes
    }
}
