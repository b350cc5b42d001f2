/// The paper fill simulator filled an order against logged market data (policy v1: mid plus half the spread, taker fee 0.045%).
public struct Fill: CatalogEvent {
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
}
