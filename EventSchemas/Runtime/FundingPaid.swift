/// Hourly funding on a paper position: size × oracle price × rate; positive: longs pay shorts.
public struct FundingPaid: CatalogEvent {
    public static let type = "runtime.funding_paid"
    public static let version = 1
    public static let summary = "Hourly funding on a paper position: size × oracle price × rate; positive: longs pay shorts (stream account.<clone>)."

    /// The clone.
    public var cloneId: String
    /// Asset.
    public var asset: String
    /// Signed position in coins × 10^8.
    public var positionE8: Int64
    /// Oracle price × 10^8.
    public var oraclePxE8: Int64
    /// Hourly rate × 10^8.
    public var rateE8: Int64
    /// Paid (negative: received), USD × 10^6.
    public var amountE6: Int64

    public init(cloneId: String, asset: String, positionE8: Int64, oraclePxE8: Int64, rateE8: Int64, amountE6: Int64) {
        self.cloneId = cloneId
        self.asset = asset
        self.positionE8 = positionE8
        self.oraclePxE8 = oraclePxE8
        self.rateE8 = rateE8
        self.amountE6 = amountE6
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case asset
        case positionE8 = "position_e8"
        case oraclePxE8 = "oracle_px_e8"
        case rateE8 = "rate_e8"
        case amountE6 = "amount_e6"
    }
}
