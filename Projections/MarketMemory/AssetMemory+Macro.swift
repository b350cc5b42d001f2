import ClashCore
import Foundation
import GRDB
import LedgerLog

/// Related Polymarket markets and DefiLlama macro rows of an asset (`AssetLinks` rule).
extension AssetMemory {
    func polymarket(_ symbol: String, asOf: Int64) throws -> AssetLatest.Polymarket {
        let names = AssetLinks.names(symbol)
        let related = names.isEmpty ? [] : try Row.fetchAll(memory.cachedStatement(sql: "SELECT * FROM polymarket_market WHERE first_seen_ms <= ? ORDER BY market_id"),
                                                           arguments: [asOf])
            .filter { AssetLinks.mentions($0["question"], names) || AssetLinks.mentions(($0["slug"] as String).replacingOccurrences(of: "-", with: " "), names) }
        func market(_ row: Row) throws -> AssetLatest.Market {
            AssetLatest.Market(marketId: row["market_id"], question: row["question"], slug: row["slug"], endMs: row["end_ms"],
                               outcomes: try Self.strings(row["outcomes"]), outcomePricesE6: try Self.integers(row["outcome_prices_e6"]),
                               volumeE2: row["volume_e2"], liquidityE2: row["liquidity_e2"], ts: row["ts"])
        }
        let open = related.filter { !($0["closed"] as Bool) && ($0["active"] as Bool) }
        let discovery = open.sorted { ($0["volume_e2"] as Int64, $1["market_id"] as String) > ($1["volume_e2"] as Int64, $0["market_id"] as String) }
        let upcoming = open.filter { ($0["end_ms"] as Int64?).map { $0 > asOf } ?? false }
            .sorted { ($0["end_ms"] as Int64, $0["market_id"] as String) < ($1["end_ms"] as Int64, $1["market_id"] as String) }
        let closed = related.filter { $0["closed"] as Bool }
            .sorted { ($0["end_ms"] as Int64? ?? 0, $1["market_id"] as String) > ($1["end_ms"] as Int64? ?? 0, $0["market_id"] as String) }
        return AssetLatest.Polymarket(
            discovery: try discovery.prefix(5).map(market), immediate: try upcoming.first.map(market),
            later: try upcoming.dropFirst().first.map(market), recentlyClosed: try closed.prefix(5).map(market))
    }

    static func strings(_ json: String) throws -> [String] {
        guard case .array(let items) = try JSONValue.parse(Array(json.utf8)) else { return [] }
        return items.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }

    static func integers(_ json: String) throws -> [Int64] {
        guard case .array(let items) = try JSONValue.parse(Array(json.utf8)) else { return [] }
        return items.compactMap { if case .integer(let digits) = $0 { Int64(digits) } else { nil } }
    }

    /// A chain's latest TVL at or before `asOf`, with its change over 1, 7 and 30 days before that
    /// point (from the nearest point at or before each earlier time).
    func tvl(_ chain: String, asOf: Int64) throws -> AssetLatest.TVL? {
        func at(_ time: Int64) throws -> (date: Int64, tvl: Int64)? {
            try Row.fetchOne(memory.cachedStatement(sql: "SELECT date_ms, tvl_e2 FROM chain_tvl WHERE chain = ? AND date_ms <= ? ORDER BY date_ms DESC LIMIT 1"),
                             arguments: [chain, time]).map { ($0[0], $0[1]) }
        }
        guard let now = try at(asOf) else { return nil }
        let day: Int64 = 86_400_000
        func change(_ days: Int64) throws -> Int64? { Self.changeBp(now.tvl, try at(now.date - days * day)?.tvl) }
        return AssetLatest.TVL(subject: chain, tvlE2: now.tvl, change1dBp: try change(1), change7dBp: try change(7), change30dBp: try change(30))
    }

    func defillama(_ symbol: String, asOf: Int64) throws -> AssetLatest.DefiLlama {
        let supply = try Row.fetchAll(memory.cachedStatement(sql: "SELECT ts, circulating_e2 FROM stablecoin_supply WHERE ts <= ? ORDER BY ts DESC"),
                                      arguments: [asOf]).map { (ts: $0[0] as Int64, value: $0[1] as Int64) }
        func throughput(_ metric: String) throws -> Int64? {
            try Int64.fetchOne(memory.cachedStatement(sql: "SELECT total_24h_e2 FROM throughput WHERE metric = ? AND ts <= ? ORDER BY ts DESC LIMIT 1"),
                               arguments: [metric, asOf])
        }
        var chains: [AssetLatest.TVL] = []
        for row in try Row.fetchAll(memory.cachedStatement(sql: "SELECT chain, token_symbol FROM chain ORDER BY chain"))
        where AssetLinks.chainLinks(symbol: symbol, chain: row["chain"], tokenSymbol: row["token_symbol"]) {
            if let tvl = try tvl(row["chain"], asOf: asOf) { chains.append(tvl) }
        }
        let base = AssetLinks.base(symbol)
        let stablecoins = try Row.fetchAll(memory.cachedStatement(sql: "SELECT name, circulating_e2 FROM stablecoin WHERE upper(symbol) = upper(?) AND ts <= ? ORDER BY name"),
                                           arguments: [base, asOf])
            .map { AssetLatest.TVL(subject: $0["name"], tvlE2: $0["circulating_e2"]) }
        let latestSupply = supply.first
        let defiTvl = try tvl("All", asOf: asOf)
        let newest = try Int64.fetchOne(memory.cachedStatement(sql: """
            SELECT max(ts) FROM (SELECT max(date_ms) AS ts FROM chain_tvl WHERE date_ms <= ?1 UNION ALL SELECT max(ts) FROM stablecoin_supply WHERE ts <= ?1
                UNION ALL SELECT max(ts) FROM throughput WHERE ts <= ?1)
            """), arguments: [asOf])
        return AssetLatest.DefiLlama(
            defiTvl: defiTvl, stablecoinSupplyE2: latestSupply?.value,
            stablecoinSupplyChange7dBp: latestSupply.flatMap { now in
                Self.changeBp(now.value, supply.first { $0.ts <= now.ts - 7 * 86_400_000 }?.value)
            },
            fees24hE2: try throughput("fees"), dexVolume24hE2: try throughput("dex_volume"),
            linkedChains: chains, linkedStablecoins: stablecoins, ts: newest)
    }
}
