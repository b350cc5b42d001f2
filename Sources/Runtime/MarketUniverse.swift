import Domain
import GRDB
import Projections

/// The asset universe of market memory, as strategy validation and compiling ask for it.
public struct MarketUniverse: AssetUniverse {
    let memory: Database

    public init(memory: Database) {
        self.memory = memory
    }

    public func select(category: String?, include: [String], exclude: [String]) throws -> [String] {
        guard let category else { return try included(include, exclude) }
        return try AssetSelection.select(memory, category: category, include: include, exclude: exclude).map(\.symbol)
    }

    /// Without a category, the included assets alone: each must be listed.
    private func included(_ include: [String], _ exclude: [String]) throws -> [String] {
        let listed = Set(try AssetSelection.select(memory, category: "All").map(\.symbol))
        let missing = include.filter { !listed.contains($0) }
        if !missing.isEmpty { throw AssetSelection.Problem(description: try unknown(missing)) }
        let excluded = Set(exclude)
        return include.filter { !excluded.contains($0) }
    }

    private func unknown(_ symbols: [String]) throws -> String {
        let first = symbols.first ?? ""
        let delisted = try Bool.fetchOne(memory, sql: "SELECT 1 FROM asset WHERE symbol = ?", arguments: [first]) ?? false
        return delisted ? "\(first): the asset is delisted" : "\(first): no universe in market memory lists this asset"
    }

    public func maxLeverage(_ symbol: String) -> Int64? {
        try? Int64.fetchOne(memory, sql: "SELECT max_leverage FROM asset WHERE symbol = ? AND delisted = 0 AND kind = 'perp' ORDER BY dex LIMIT 1",
                            arguments: [symbol])
    }
}
