/// A paper account fell below maintenance margin and its position was closed at the mark.
public struct Liquidated: CatalogEvent {
    public static let type = "runtime.liquidated"
    public static let version = 1
    public static let summary = "A paper account fell below maintenance margin and its position was closed at the mark (stream account.<clone>)."

    /// The clone.
    public var cloneId: String
    /// Asset.
    public var asset: String
    /// Signed position closed, coins × 10^8.
    public var positionE8: Int64
    /// Mark price × 10^8.
    public var markPxE8: Int64
    /// Equity at liquidation, USD × 10^6.
    public var equityE6: Int64
    /// Maintenance margin, USD × 10^6.
    public var maintenanceMarginE6: Int64

    public init(cloneId: String, asset: String, positionE8: Int64, markPxE8: Int64, equityE6: Int64, maintenanceMarginE6: Int64) {
        self.cloneId = cloneId
        self.asset = asset
        self.positionE8 = positionE8
        self.markPxE8 = markPxE8
        self.equityE6 = equityE6
        self.maintenanceMarginE6 = maintenanceMarginE6
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case asset
        case positionE8 = "position_e8"
        case markPxE8 = "mark_px_e8"
        case equityE6 = "equity_e6"
        case maintenanceMarginE6 = "maintenance_margin_e6"
    }
}
