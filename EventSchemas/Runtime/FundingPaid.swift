import Canonical

/// Hourly funding on a paper position: size × oracle price × hourly rate (positive rates: longs pay shorts), rounded against the account, naming the oracle price's and the rate's log sequence
public struct FundingPaid: CatalogEvent {
    public static let type = "runtime.funding_paid"
    public static let version = 2
    public static let summary = "Hourly funding on a paper position, naming the oracle price's and rate's log sequence (stream account.<clone>.<competition>)."

    /// The clone.
    public var cloneId: String
    /// The competition (absent on payments upcast from v1).
    public var competitionId: String?
    /// Asset.
    public var asset: String
    /// The hour paid for (its end).
    public var hourMs: Int64?
    /// Signed position in coins × 10^8.
    public var positionE8: Int64
    /// Oracle price × 10^8.
    public var oraclePxE8: Int64
    /// Log sequence of the event the oracle price and rate came from.
    public var oracleSequence: Int64?
    /// Hourly funding rate × 10^12.
    public var rateE12: Int64
    /// The account's cash change, USD × 10^6 (negative: paid).
    public var amountE6: Int64
    /// Version of the fill policy.
    public var fillPolicy: Int64?

    public init(cloneId: String, competitionId: String? = nil, asset: String, hourMs: Int64? = nil, positionE8: Int64, oraclePxE8: Int64, oracleSequence: Int64? = nil, rateE12: Int64, amountE6: Int64, fillPolicy: Int64? = nil) {
        self.cloneId = cloneId
        self.competitionId = competitionId
        self.asset = asset
        self.hourMs = hourMs
        self.positionE8 = positionE8
        self.oraclePxE8 = oraclePxE8
        self.oracleSequence = oracleSequence
        self.rateE12 = rateE12
        self.amountE6 = amountE6
        self.fillPolicy = fillPolicy
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case competitionId = "competition_id"
        case asset
        case hourMs = "hour_ms"
        case positionE8 = "position_e8"
        case oraclePxE8 = "oracle_px_e8"
        case oracleSequence = "oracle_sequence"
        case rateE12 = "rate_e12"
        case amountE6 = "amount_e6"
        case fillPolicy = "fill_policy"
    }
}


/// Version 1 (read through its upcaster, never written any more): Hourly funding on a paper position: size × oracle price × rate; positive: longs pay shorts.
public struct FundingPaidV1: CatalogEvent {
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

    /// v1 → v2: the rate × 10^8 becomes × 10^12 (exact); the amount paid becomes the account's
    /// cash change (its negation).
    @Sendable static func upcast(_ payload: JSONValue) throws -> JSONValue {
        guard case .integer(let rate)? = payload["rate_e8"], let rateE8 = Int64(rate),
              case .integer(let amount)? = payload["amount_e6"], let paid = Int64(amount) else {
            throw CatalogUpcastError.missingField("rate_e8 or amount_e6")
        }
        guard case .object(let members) = payload else { throw CatalogUpcastError.missingField("clone_id") }
        var out = members.filter { $0.key != "rate_e8" && $0.key != "amount_e6" }
        out.append(("rate_e12", .integer(String(rateE8 * 10_000))))
        out.append(("amount_e6", .integer(String(-paid))))
        return .object(out.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) })
    }
}
