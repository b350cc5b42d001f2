import EventSchemas
import GRDB
import LedgerLog

/// Polymarket and DefiLlama: related markets and macro context.
extension MarketMemoryProjector.Fold {
    func markets(_ event: PolymarketMarkets, _ at: Stamp) throws {
        for market in event.markets {
            let outcomes = Self.jsonArray(market.outcomes)
            let prices = Self.jsonArray(market.outcomePricesE6)
            try run("""
                INSERT INTO polymarket_market VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (market_id) DO UPDATE SET slug = excluded.slug, question = excluded.question, end_ms = excluded.end_ms,
                    active = excluded.active, closed = excluded.closed, outcomes = excluded.outcomes,
                    outcome_prices_e6 = excluded.outcome_prices_e6, volume_e2 = excluded.volume_e2, liquidity_e2 = excluded.liquidity_e2,
                    closed_seen_ms = coalesce(polymarket_market.closed_seen_ms, excluded.closed_seen_ms),
                    ts = excluded.ts, sequence = excluded.sequence
                """, [market.marketId, market.slug, market.question, market.endMs, market.active, market.closed, outcomes, prices,
                      market.volumeE2, market.liquidityE2, at.ts, market.closed ? at.ts : nil, at.ts, at.sequence])
        }
    }

    func chainTVL(_ event: DefiLlamaChainTVL, _ at: Stamp) throws {
        for point in event.points {
            try run("INSERT OR REPLACE INTO chain_tvl VALUES (?, ?, ?)", [point.chain, point.dateMs, point.tvlE2])
            if event.chain == nil {
                try run("INSERT OR REPLACE INTO chain VALUES (?, ?, ?, ?)", [point.chain, point.tokenSymbol, point.tvlE2, at.ts])
            }
        }
    }

    func protocols(_ event: DefiLlamaProtocols, _ at: Stamp) throws {
        for item in event.protocols {
            try run("INSERT OR REPLACE INTO protocol VALUES (?, ?, ?, ?, ?, ?)",
                    [item.slug, item.name, item.category, Self.jsonArray(item.chains), item.tvlE2, at.ts])
        }
    }

    func stablecoins(_ event: DefiLlamaStablecoins, _ at: Stamp) throws {
        var total: Int64 = 0
        for coin in event.stablecoins {
            try run("INSERT OR REPLACE INTO stablecoin VALUES (?, ?, ?, ?, ?)", [coin.symbol, coin.name, coin.peg, coin.circulatingE2, at.ts])
            if coin.peg == "peggedusd" { total = total.addingReportingOverflow(coin.circulatingE2).partialValue }
        }
        try run("INSERT OR REPLACE INTO stablecoin_supply VALUES (?, ?)", [at.ts, total])
    }

    func throughput(_ event: DefiLlamaThroughput, _ at: Stamp) throws {
        try run("INSERT OR REPLACE INTO throughput VALUES (?, ?, ?, ?)", [event.metric, at.ts, event.total24hE2, event.total7dE2])
        try run("DELETE FROM throughput_protocol WHERE metric = ?", [event.metric])
        for item in event.protocols {
            try run("INSERT OR REPLACE INTO throughput_protocol VALUES (?, ?, ?, ?)", [event.metric, item.slug, item.total24hE2, at.ts])
        }
    }

    static func jsonArray(_ items: [String]) -> String {
        var json = CanonicalJSONWriter()
        json.beginArray()
        for item in items { json.string(item) }
        json.endArray()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    static func jsonArray(_ items: [Int64]) -> String {
        var json = CanonicalJSONWriter()
        json.beginArray()
        for item in items { json.int(item) }
        json.endArray()
        return String(decoding: json.bytes, as: UTF8.self)
    }
}
