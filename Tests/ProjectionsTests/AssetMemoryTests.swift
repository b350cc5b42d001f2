import ClashCore
import EventSchemas
import Foundation
import GRDB
import LedgerLog
import Market
import Projections
import Testing

/// A log of a synthetic market, the project's category mapping, and small Polymarket and
/// DefiLlama responses written for these tests.
struct MemoryLog {
    let log = TickLog()
    static let start: Int64 = 1_717_200_000_000
    static let hour: Int64 = 3_600_000

    static let markets = #"""
    [{"id":"1","slug":"bitcoin-above-70k-on-june-1","question":"Bitcoin above $70k on June 1?","endDate":"2024-06-01T16:00:00Z","active":true,"closed":false,"outcomes":"[\"Yes\",\"No\"]","outcomePrices":"[\"0.61\",\"0.39\"]","volume":"120000","liquidity":"5000"},
     {"id":"2","slug":"btc-up-or-down-june-3","question":"BTC up or down on June 3?","endDate":"2024-06-03T16:00:00Z","active":true,"closed":false,"outcomes":"[\"Up\",\"Down\"]","outcomePrices":"[\"0.5\",\"0.5\"]","volume":"990000","liquidity":"8000"},
     {"id":"3","slug":"bitcoin-above-60k-on-may-30","question":"Bitcoin above $60k on May 30?","endDate":"2024-05-30T16:00:00Z","active":false,"closed":true,"outcomes":"[\"Yes\",\"No\"]","outcomePrices":"[\"1\",\"0\"]","volume":"50000"},
     {"id":"4","slug":"ethereum-etf-approved","question":"Ethereum ETF approved by July?","endDate":"2024-07-31T00:00:00Z","active":true,"closed":false,"outcomes":"[\"Yes\",\"No\"]","outcomePrices":"[\"0.8\",\"0.2\"]","volume":"70000"},
     {"id":"5","slug":"bitcoin-early","question":"Bitcoin above $50k on May 1?","endDate":"2024-05-01T16:00:00Z","active":true,"closed":false,"outcomes":"[\"Yes\",\"No\"]","outcomePrices":"[\"0.99\",\"0.01\"]","volume":"10"}]
    """#
    static let chains = #"[{"tvl":61000000000,"tokenSymbol":"ETH","name":"Ethereum"},{"tvl":5000000000,"tokenSymbol":"SOL","name":"Solana"},{"tvl":1000,"tokenSymbol":null,"name":"Other"}]"#
    static let ethereumHistory = #"[{"date":1716249600,"tvl":50000000000},{"date":1716768000,"tvl":57000000000},{"date":1717113600,"tvl":59000000000},{"date":1717200000,"tvl":60000000000}]"#
    static let stablecoins = #"{"peggedAssets":[{"name":"Tether","symbol":"USDT","pegType":"peggedUSD","circulating":{"peggedUSD":110000000000},"chains":["Ethereum"]},{"name":"USD Coin","symbol":"USDC","pegType":"peggedUSD","circulating":{"peggedUSD":32000000000.5},"chains":["Ethereum"]}]}"#
    static let fees = #"{"protocols":[{"name":"Tether","slug":"tether","total24h":21000000}],"total24h":40000000}"#
    static let dexs = #"{"protocols":[{"name":"Uniswap","slug":"uniswap","total24h":1500000000}],"total24h":3000000000,"total7d":20000000000}"#

    init(assets: Int = 24, hours: Int = 30) throws {
        let writer = try FileLog.open(directory: log.logPath, options: FileLogOptions(fsync: .none))
        defer { try? writer.close() }
        var market = SyntheticMarket(seed: 5, assets: assets, hours: hours)
        var chunk: [EventDraft] = []
        while let draft = market.next() {
            chunk.append(draft)
            if chunk.count == 2_000 {
                try writer.append(chunk)
                chunk = []
            }
        }
        try writer.append(chunk)
        let mapping = try CategoryMapping.event()
        try writer.append([try mapping.draft(id: "categories", stream: "source.hyperliquid", timestampMs: Self.start)])
        let at = Self.start + Int64(hours) * Self.hour - 60_000
        for (source, kind, chain, body) in [(MarketSource.polymarket, "markets", "All", Self.markets), (.defillama, "chains", "All", Self.chains),
                                            (.defillama, "historicalChainTvl", "Ethereum", Self.ethereumHistory),
                                            (.defillama, "stablecoins", "All", Self.stablecoins), (.defillama, "fees", "All", Self.fees),
                                            (.defillama, "dexs", "All", Self.dexs)] {
            var request = try IngestRequest(source: source, kind: kind)
            request.chain = chain
            try writer.append(try request.drafts(pages: [Array(body.utf8)], timestampMs: at))
        }
    }

    func withMemory<Result>(_ body: (AssetMemory, Database) throws -> Result) throws -> Result {
        let runner = try log.runner()
        defer { try? runner.close() }
        try runner.catchUp()
        return try runner.withAssetMemory { memory in try body(memory, memory.ticks) }
    }
}

@Suite("Asset selection and latest data", .timeLimit(.minutes(5)))
struct AssetMemoryTests {
    @Test("categories select by the mapping, Trending ranks by 24h volume, includes and excludes apply, bad input is refused")
    func selection() throws {
        let memory = try MemoryLog()
        defer { memory.log.cleanup() }
        let runner = try memory.log.runner()
        defer { try? runner.close() }
        try runner.catchUp()
        try runner.read("market_memory") { (db) throws in
            let layer1 = try AssetSelection.select(db, category: "Crypto/Layer 1").map(\.symbol)
            #expect(layer1.contains("BTC") && layer1.contains("ETH") && !layer1.contains("UNI"))
            #expect(try AssetSelection.select(db, category: "Crypto/Defi").map(\.symbol).contains("UNI"))
            #expect(try AssetSelection.select(db, category: "Crypto").count == 24)
            #expect(try AssetSelection.select(db, category: "Tradfi").isEmpty)
            let trending = try AssetSelection.select(db, category: "Trending")
            #expect(trending.count == 20)
            let volumes = try trending.map { try Int64.fetchOne(db, sql: "SELECT day_notional_volume_e2 FROM asset_context WHERE symbol = ?", arguments: [$0.symbol])! }
            #expect(volumes == volumes.sorted(by: >))
            let notTrending = try Int64.fetchOne(db, sql: "SELECT max(day_notional_volume_e2) FROM asset_context WHERE symbol NOT IN (\(trending.map { "'\($0.symbol)'" }.joined(separator: ",")))")!
            #expect(notTrending <= volumes.last!)
            let custom = try AssetSelection.select(db, category: "Crypto/Meme", include: ["BTC"], exclude: ["DOGE"]).map(\.symbol)
            #expect(custom.contains("BTC") && !custom.contains("DOGE"))
            #expect(throws: AssetSelection.Problem.self) { try AssetSelection.select(db, category: "Crypto/Nope") }
            #expect(throws: AssetSelection.Problem.self) { try AssetSelection.select(db, include: ["NOPE"]) }
        }
    }

    @Test("a newer universe that no longer lists an asset keeps it, marked delisted, and no category selects it")
    func delisting() throws {
        let memory = try MemoryLog(assets: 3, hours: 2)
        defer { memory.log.cleanup() }
        let writer = try FileLog.open(directory: memory.log.logPath, options: FileLogOptions(fsync: .none))
        let smaller = HyperliquidUniverse(dex: "", assets: [.init(symbol: "BTC", index: 0, kind: "perp", quote: "USDC", sizeDecimals: 3,
                                                                  maxLeverage: 40, onlyIsolated: false, delisted: false)])
        try writer.append([try smaller.draft(id: "u2", stream: "source.hyperliquid", timestampMs: MemoryLog.start + 7_200_000)])
        try writer.close()
        try memory.withMemory { (assets, _) throws in
            #expect(try assets.latest("ETH")?.delisted == true)
            #expect(try assets.latest("NOPE") == nil)
        }
        let runner = try memory.log.runner()
        defer { try? runner.close() }
        try runner.read("market_memory") { (db) throws in #expect(try AssetSelection.select(db).map(\.symbol) == ["BTC"]) }
    }

    @Test("latest data: candles, funding pressure, volatility and positioning agree with the rows they come from")
    func latestHyperliquid() throws {
        let memory = try MemoryLog()
        defer { memory.log.cleanup() }
        try memory.withMemory { (assets, ticks) throws in
            let latest = try #require(try assets.latest("ETH"))
            let asOf = latest.asOfMs
            #expect(asOf == MemoryLog.start + 30 * MemoryLog.hour - 60_000)
            #expect(latest.categories == ["Crypto/Layer 1"])
            let price = try #require(latest.price)
            #expect(price.midE8 == (try Int64.fetchOne(ticks, sql: "SELECT mid_e8 FROM latest_tick WHERE symbol = 'ETH'")))
            for interval in CandleIntervals.all {
                let candles = try #require(latest.candles[interval.name])
                #expect(candles.count == min(AssetMemory.candleCounts[interval.name]!, Int((asOf - MemoryLog.start) / interval.milliseconds) + 1))
                #expect(candles.map(\.openMs) == candles.map(\.openMs).sorted())
                #expect(candles.last?.closeE8 == price.midE8)
            }
            // Volatility over the last hour, recomputed here from the 1-minute closes.
            let closes = try Int64.fetchAll(ticks, sql: "SELECT close_e8 FROM candle WHERE symbol = 'ETH' AND interval = '1m' AND open_ms > ? ORDER BY open_ms",
                                            arguments: [asOf - MemoryLog.hour])
            var sum = 0.0
            for (a, b) in zip(closes, closes.dropFirst()) {
                let ppm = Double((Int128(b) - Int128(a)) * 1_000_000 / Int128(a))
                sum += ppm * ppm
            }
            #expect(latest.volatility.realized1hBp == Int64(sum.squareRoot()) / 100)
            #expect(latest.volatility.realized24hBp != nil)
            // Funding pressure: the mean of the hourly rates of the last 24 hours.
            let memoryRates = try assets.hourlyFunding("ETH", asOf: asOf).map(\.rate)
            #expect(memoryRates.count == 24)
            #expect(latest.funding.average24hE12 == memoryRates.reduce(0, +) / 24)
            #expect(latest.funding.average8hE12 == memoryRates.prefix(8).reduce(0, +) / 8)
            #expect(latest.positioning.openInterestUsdE2 != nil && latest.positioning.change24hBp != nil)
            #expect(latest.liquidity.impactBidPxE8! < latest.liquidity.impactAskPxE8!)
            // The view is a pure function of the read models and the time.
            #expect(try assets.latest("ETH", asOfMs: asOf) == latest)
            let earlier = try #require(try assets.latest("ETH", asOfMs: MemoryLog.start + 2 * MemoryLog.hour))
            #expect(earlier.price!.ts <= MemoryLog.start + 2 * MemoryLog.hour)
            // As of an earlier time only candles complete by then are used: nothing folded later leaks in.
            #expect(earlier.candles["1h"]?.count == 2)
            #expect(earlier.candles["1m"]?.last?.openMs == MemoryLog.start + 2 * MemoryLog.hour - 60_000)
        }
    }

    @Test("latest data: related Polymarket markets and the DefiLlama rows linked to the asset")
    func latestMacro() throws {
        let memory = try MemoryLog()
        defer { memory.log.cleanup() }
        try memory.withMemory { (assets, _) throws in
            let btc = try #require(try assets.latest("BTC"))
            // As of 2024-06-02 (the log's end): market 2 ends next; 1 ended already but is still open; 5 is long past.
            #expect(btc.polymarket.discovery.map(\.marketId) == ["2", "1", "5"])
            #expect(btc.polymarket.immediate?.marketId == "2")
            #expect(btc.polymarket.later == nil)
            #expect(btc.polymarket.recentlyClosed.map(\.marketId) == ["3"])
            #expect(btc.polymarket.discovery[1].outcomePricesE6 == [610_000, 390_000])
            #expect(btc.defillama.linkedChains.isEmpty)
            #expect(btc.defillama.fees24hE2 == 4_000_000_000)
            #expect(btc.defillama.dexVolume24hE2 == 300_000_000_000)
            #expect(btc.defillama.stablecoinSupplyE2 == 14_200_000_000_050)

            let eth = try #require(try assets.latest("ETH"))
            #expect(eth.polymarket.immediate?.marketId == "4")
            let chain = try #require(eth.defillama.linkedChains.first)
            #expect(eth.defillama.linkedChains.map(\.subject) == ["Ethereum"])
            // The listed 61 billion (June 2) against the history's June 1 (60) and May 21 (50); no point 30 days back.
            #expect(chain.tvlE2 == 6_100_000_000_000)
            #expect(chain.change1dBp == 166)
            #expect(chain.change7dBp == 2_200)
            #expect(chain.change30dBp == nil)
            #expect(try assets.latest("SOL")?.defillama.linkedChains.map(\.subject) == ["Solana"])
        }
    }

    @Test("replay equality holds with market memory included")
    func replay() throws {
        let memory = try MemoryLog(assets: 6, hours: 6)
        defer { memory.log.cleanup() }
        let runner = try memory.log.runner()
        defer { try? runner.close() }
        try runner.catchUp()
        try runner.verifyReplay()
        let hashes = try runner.stateHashes()
        #expect(hashes["market_memory"]!.tables.keys.sorted().contains("polymarket_market"))
    }
}
