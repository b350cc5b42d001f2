import EventSchemas
import Foundation
import LedgerLog

/// Turns Polymarket Gamma responses (a market, a list of markets, or events holding markets) into
/// `polymarket.markets` events: prices as exact fixed-point integers, dates as ms.
public enum PolymarketNormalizer {
    public static func normalize(_ request: String, body: [UInt8]) throws(IngestError) -> [NormalizedEvent] {
        try normalize(request, pages: [body])
    }

    /// The pages of one paginated listing, as one event: a market listed on two pages (the list
    /// moved while it was read) is kept once, as its first page shows it.
    public static func normalize(_ request: String, pages: [[UInt8]]) throws(IngestError) -> [NormalizedEvent] {
        var markets: [PolymarketMarkets.PredictionMarket] = []
        var seen: Set<String> = []
        for (page, body) in pages.enumerated() {
            let reader = ResponseReader(source: "polymarket", request: pages.count == 1 ? request : "\(request) page \(page + 1)")
            for market in try self.markets(try reader.parse(body), reader) where seen.insert(market.marketId).inserted {
                markets.append(market)
            }
        }
        return [.init(stream: "source.polymarket", event: PolymarketMarkets(markets: markets))]
    }

    private static func markets(_ json: JSONValue, _ reader: ResponseReader) throws(IngestError) -> [PolymarketMarkets.PredictionMarket] {
        var markets: [PolymarketMarkets.PredictionMarket] = []
        func add(_ market: JSONValue, _ path: String) throws(IngestError) {
            markets.append(try self.market(market, path, reader))
        }
        switch json {
        case .object:
            if case .array(let nested)? = json["markets"] {
                for (index, market) in nested.enumerated() { try add(market, "markets[\(index)]") }
            } else {
                try add(json, "")
            }
        case .array(let list):
            for (index, item) in list.enumerated() {
                if case .array(let nested)? = item["markets"] {
                    for (inner, market) in nested.enumerated() { try add(market, "[\(index)].markets[\(inner)]") }
                } else {
                    try add(item, "[\(index)]")
                }
            }
        default:
            throw reader.fail("", "expected a market, a list of markets or of events")
        }
        return markets
    }

    /// How many items a page of a listing holds (markets, or events), to know when the last page came.
    public static func pageCount(_ body: [UInt8]) -> Int {
        guard case .array(let items)? = try? JSONValue.parse(body, allowingDecimals: true) else { return 0 }
        return items.count
    }

    private static func market(_ json: JSONValue, _ path: String, _ reader: ResponseReader) throws(IngestError) -> PolymarketMarkets.PredictionMarket {
        let at = path.isEmpty ? "" : path + "."
        // Gamma sends outcomes and their prices as JSON text inside a string.
        func embedded(_ key: String) throws(IngestError) -> [JSONValue] {
            let text = try reader.string(json[key], at + key)
            do {
                guard case .array(let items) = try JSONValue.parse(Array(text.utf8), allowingDecimals: true) else {
                    throw reader.fail(at + key, "expected a JSON array in the string")
                }
                return items
            } catch let error as IngestError {
                throw error
            } catch {
                throw reader.fail(at + key, "not a JSON array: \(error)")
            }
        }
        let outcomes = try embedded("outcomes").enumerated().map { (index, item) throws(IngestError) in try reader.string(item, at + "outcomes[\(index)]") }
        let prices = try embedded("outcomePrices").enumerated().map { (index, item) throws(IngestError) in
            try reader.fixed(item, at + "outcomePrices[\(index)]", scale: 6, rounding: .halfEven)
        }
        var endMs: Int64?
        if case .string(let text)? = json["endDate"] {
            guard let date = Self.parseDate(text) else { throw reader.fail(at + "endDate", "not an ISO 8601 date: \(text)") }
            endMs = date
        }
        return .init(
            marketId: try reader.string(json["id"], at + "id"), slug: try reader.string(json["slug"], at + "slug"),
            question: try reader.string(json["question"], at + "question"), endMs: endMs,
            active: try reader.bool(json["active"], at + "active", default: false), closed: try reader.bool(json["closed"], at + "closed", default: false),
            outcomes: outcomes, outcomePricesE6: prices,
            volumeE2: try reader.optionalFixed(json["volume"], at + "volume", scale: 2, rounding: .halfEven) ?? 0,
            liquidityE2: try reader.optionalFixed(json["liquidity"], at + "liquidity", scale: 2, rounding: .halfEven) ?? 0)
    }

    /// ISO 8601 with or without fractional seconds, to ms.
    static func parseDate(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970) * 1000 }
    }
}
