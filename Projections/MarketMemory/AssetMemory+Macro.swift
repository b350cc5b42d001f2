import ClashCore
import Foundation
import GRDB
import GRDBSQLite
import LedgerLog

/// Related Polymarket markets and DefiLlama macro rows of an asset (`AssetLinks` rule).
extension AssetMemory {
    /// A Polymarket row as the view reads it.
    struct PolymarketRow {
        var marketId: String, slug: String, question: String, endMs: Int64?, active: Bool, closed: Bool
        var outcomes: String, outcomePricesE6: String, volumeE2: Int64, liquidityE2: Int64, ts: Int64, firstSeenMs: Int64
    }

    /// The markets that mention the asset, seen by any time, by market id.
    func mentioning(_ symbol: String, names: [String]) throws -> [PolymarketRow] {
        try kept(\.polymarket, symbol) { try readMentioning(names) }
    }

    func readMentioning(_ names: [String]) throws -> [PolymarketRow] {
        try rows(memory, """
            SELECT market_id, slug, question, end_ms, active, closed, outcomes, outcome_prices_e6, volume_e2, liquidity_e2, ts, first_seen_ms
            FROM polymarket_market ORDER BY market_id
            """) { raw in
            PolymarketRow(marketId: SQLiteBinder.text(raw, 0), slug: SQLiteBinder.text(raw, 1), question: SQLiteBinder.text(raw, 2),
                          endMs: SQLiteBinder.int(raw, 3), active: sqlite3_column_int64(raw, 4) != 0, closed: sqlite3_column_int64(raw, 5) != 0,
                          outcomes: SQLiteBinder.text(raw, 6), outcomePricesE6: SQLiteBinder.text(raw, 7), volumeE2: sqlite3_column_int64(raw, 8),
                          liquidityE2: sqlite3_column_int64(raw, 9), ts: sqlite3_column_int64(raw, 10), firstSeenMs: sqlite3_column_int64(raw, 11))
        }.filter { AssetLinks.mentions($0.question, names) || AssetLinks.mentions($0.slug.replacingOccurrences(of: "-", with: " "), names) }
    }

    func polymarket(_ symbol: String, asOf: Int64) throws -> AssetLatest.Polymarket {
        let names = AssetLinks.names(symbol)
        let related = names.isEmpty ? [] : try mentioning(symbol, names: names).filter { $0.firstSeenMs <= asOf }
        func market(_ row: PolymarketRow) throws -> AssetLatest.Market {
            AssetLatest.Market(marketId: row.marketId, question: row.question, slug: row.slug, endMs: row.endMs,
                               outcomes: try Self.strings(row.outcomes), outcomePricesE6: try Self.integers(row.outcomePricesE6),
                               volumeE2: row.volumeE2, liquidityE2: row.liquidityE2, ts: row.ts)
        }
        let open = related.filter { !$0.closed && $0.active }
        let discovery = open.sorted { ($0.volumeE2, $1.marketId) > ($1.volumeE2, $0.marketId) }
        let upcoming = open.filter { $0.endMs.map { $0 > asOf } ?? false }
            .sorted { ($0.endMs!, $0.marketId) < ($1.endMs!, $1.marketId) }
        let closed = related.filter(\.closed)
            .sorted { ($0.endMs ?? 0, $1.marketId) > ($1.endMs ?? 0, $0.marketId) }
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
            try first(memory, "SELECT date_ms, tvl_e2 FROM chain_tvl WHERE chain = ? AND date_ms <= ? ORDER BY date_ms DESC LIMIT 1",
                      Self.symbolAndTime(chain, time)) { (sqlite3_column_int64($0, 0), sqlite3_column_int64($0, 1)) }
        }
        guard let now = try at(asOf) else { return nil }
        let day: Int64 = 86_400_000
        func change(_ days: Int64) throws -> Int64? { Self.changeBp(now.tvl, try at(now.date - days * day)?.tvl) }
        return AssetLatest.TVL(subject: chain, tvlE2: now.tvl, change1dBp: try change(1), change7dBp: try change(7), change30dBp: try change(30))
    }

    func defillama(_ symbol: String, asOf: Int64) throws -> AssetLatest.DefiLlama {
        let supply = try rows(memory, "SELECT ts, circulating_e2 FROM stablecoin_supply WHERE ts <= ? ORDER BY ts DESC",
                              { sqlite3_bind_int64($0, 1, asOf) }) { (ts: sqlite3_column_int64($0, 0), value: sqlite3_column_int64($0, 1)) }
        func throughput(_ metric: String) throws -> Int64? {
            try first(memory, "SELECT total_24h_e2 FROM throughput WHERE metric = ? AND ts <= ? ORDER BY ts DESC LIMIT 1",
                      Self.symbolAndTime(metric, asOf)) { SQLiteBinder.int($0, 0) }.flatMap { $0 }
        }
        var chains: [AssetLatest.TVL] = []
        let linked = try rows(memory, "SELECT chain, token_symbol FROM chain ORDER BY chain") {
            (chain: SQLiteBinder.text($0, 0), tokenSymbol: sqlite3_column_type($0, 1) == SQLITE_NULL ? nil : SQLiteBinder.text($0, 1))
        }
        for (chain, tokenSymbol) in linked where AssetLinks.chainLinks(symbol: symbol, chain: chain, tokenSymbol: tokenSymbol) {
            if let tvl = try tvl(chain, asOf: asOf) { chains.append(tvl) }
        }
        let base = AssetLinks.base(symbol)
        let stablecoins = try rows(memory, "SELECT name, circulating_e2 FROM stablecoin WHERE upper(symbol) = upper(?) AND ts <= ? ORDER BY name",
                                   Self.symbolAndTime(base, asOf)) { AssetLatest.TVL(subject: SQLiteBinder.text($0, 0), tvlE2: sqlite3_column_int64($0, 1)) }
        let latestSupply = supply.first
        let defiTvl = try tvl("All", asOf: asOf)
        let newest = try first(memory, """
            SELECT max(ts) FROM (SELECT max(date_ms) AS ts FROM chain_tvl WHERE date_ms <= ?1 UNION ALL SELECT max(ts) FROM stablecoin_supply WHERE ts <= ?1
                UNION ALL SELECT max(ts) FROM throughput WHERE ts <= ?1)
            """, { sqlite3_bind_int64($0, 1, asOf) }) { SQLiteBinder.int($0, 0) }.flatMap { $0 }
        return AssetLatest.DefiLlama(
            defiTvl: defiTvl, stablecoinSupplyE2: latestSupply?.value,
            stablecoinSupplyChange7dBp: latestSupply.flatMap { now in
                Self.changeBp(now.value, supply.first { $0.ts <= now.ts - 7 * 86_400_000 }?.value)
            },
            fees24hE2: try throughput("fees"), dexVolume24hE2: try throughput("dex_volume"),
            linkedChains: chains, linkedStablecoins: stablecoins, ts: newest)
    }
}
