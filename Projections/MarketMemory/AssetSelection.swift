import ClashCore
import GRDB

/// The Asset Block's selection: listed assets of a category, plus manual includes, minus excludes.
///
/// - `All`: every listed asset; `Perps`: every listed perp; `Spot`, `Spot/All`: every listed spot
///   pair; `Spot/USDC|USDH|USDT`: spot pairs by quote token (USDT0 is USDT).
/// - `Crypto`, `Crypto/All`: the default dex's perps (all crypto) and builder-deployed perps with a
///   Crypto category; `Crypto/AI` and the other paths: assets placed there by the project's mapping
///   or by the exchange's perpCategories.
/// - `Tradfi`, `Tradfi/All`: assets with any Tradfi category; `Tradfi/Stocks` and the others: by path.
/// - `Trending` (rule v1): the 20 listed perps with the highest 24-hour notional volume in their
///   latest context; ties by symbol.
///
/// Delisted assets are never selected by a category; an include of one is an error, as is an
/// include of a symbol no universe lists. Without a category, the includes alone are selected.
public enum AssetSelection {
    public static let trendingRuleVersion = 1
    public static let trendingCount = 20

    public struct Selected: Sendable, Equatable {
        public var symbol: String
        public var dex: String
        public var kind: String
        public var quote: String
        public var categories: [String]
    }

    public struct Problem: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    public static func select(_ db: Database, category: String? = "All", include: [String] = [], exclude: [String] = []) throws -> [Selected] {
        if let category, !AssetCategory.selectable.contains(category) {
            throw Problem(description: "unknown category \(category); choose one of: \(AssetCategory.selectable.joined(separator: ", "))")
        }
        var paths: [String: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT DISTINCT symbol, path FROM category WHERE path IS NOT NULL ORDER BY symbol, path") {
            paths[row["symbol"], default: []].append(row["path"])
        }
        var listed: [Selected] = []
        for row in try Row.fetchAll(db, sql: "SELECT dex, symbol, kind, quote FROM asset WHERE delisted = 0 ORDER BY symbol, dex") {
            let kind: String = row["kind"]
            let quote: String = row["quote"]
            let symbol: String = row["symbol"]
            let placed = kind == "spot" ? ["Spot"] + (AssetCategory.spotPath(forQuote: quote).map { [$0] } ?? []) : paths[symbol] ?? []
            listed.append(Selected(symbol: symbol, dex: row["dex"], kind: kind, quote: quote, categories: placed))
        }
        var chosen: [Selected]
        switch category {
        case nil: chosen = []
        case "All": chosen = listed
        case "Perps": chosen = listed.filter { $0.kind == "perp" }
        case "Spot", "Spot/All": chosen = listed.filter { $0.kind == "spot" }
        case "Crypto", "Crypto/All":
            chosen = listed.filter { $0.kind == "perp" && ($0.dex.isEmpty || $0.categories.contains { $0 == "Crypto" || $0.hasPrefix("Crypto/") }) }
        case "Tradfi", "Tradfi/All": chosen = listed.filter { $0.categories.contains { $0.hasPrefix("Tradfi/") } }
        case "Trending":
            let ranked = try String.fetchAll(db, sql: """
                SELECT c.symbol FROM asset_context AS c JOIN asset AS a ON a.dex = c.dex AND a.symbol = c.symbol AND a.delisted = 0
                ORDER BY c.day_notional_volume_e2 DESC, c.symbol LIMIT ?
                """, arguments: [trendingCount])
            let bySymbol = Dictionary(listed.filter { $0.kind == "perp" }.map { ($0.symbol, $0) }, uniquingKeysWith: { first, _ in first })
            chosen = ranked.compactMap { bySymbol[$0] }
        case let category?: chosen = listed.filter { $0.categories.contains(category) }
        }
        for symbol in include where !chosen.contains(where: { $0.symbol == symbol }) {
            guard let asset = listed.first(where: { $0.symbol == symbol }) else {
                let delisted = try Bool.fetchOne(db, sql: "SELECT 1 FROM asset WHERE symbol = ?", arguments: [symbol]) ?? false
                throw Problem(description: delisted ? "--include \(symbol): the asset is delisted" : "--include \(symbol): no universe lists this asset")
            }
            chosen.append(asset)
        }
        let excluded = Set(exclude)
        return chosen.filter { !excluded.contains($0.symbol) }
    }
}
