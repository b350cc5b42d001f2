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
        try AssetSelection.select(memory, category: category, include: include, exclude: exclude).map(\.symbol)
    }

    public func maxLeverage(_ symbol: String) -> Int64? {
        try? Int64.fetchOne(memory, sql: "SELECT max_leverage FROM asset WHERE symbol = ? AND delisted = 0 AND kind = 'perp' ORDER BY dex LIMIT 1",
                            arguments: [symbol])
    }
}
