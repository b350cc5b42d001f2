import EventSchemas
import ClashTesting
import Foundation
import LedgerLog
import Market
import Testing

@Suite("Spot, category and macro normalizers", .timeLimit(.minutes(5)))
struct SpotAndMacroNormalizerTests {
    static let spot = #"""
    [{"tokens":[{"name":"USDC","szDecimals":8,"weiDecimals":8,"index":0,"tokenId":"0x6d","isCanonical":true,"evmContract":null,"fullName":null},
                {"name":"PURR","szDecimals":0,"weiDecimals":5,"index":1,"tokenId":"0xc1","isCanonical":true,"evmContract":null,"fullName":null},
                {"name":"HYPE","szDecimals":2,"weiDecimals":8,"index":150,"tokenId":"0x0d","isCanonical":false,"evmContract":null,"fullName":"Hyperliquid"},
                {"name":"USDT0","szDecimals":2,"weiDecimals":8,"index":268,"tokenId":"0x25","isCanonical":false,"evmContract":null,"fullName":null}],
      "universe":[{"tokens":[1,0],"name":"PURR/USDC","index":0,"isCanonical":true},
                  {"tokens":[150,0],"name":"@107","index":107,"isCanonical":false},
                  {"tokens":[150,268],"name":"@207","index":207,"isCanonical":false}]},
     [{"prevDayPx":"0.10846","dayNtlVlm":"797651.2386399999","markPx":"0.11317","midPx":"0.11311","coin":"PURR/USDC","circulatingSupply":"1"},
      {"prevDayPx":"0.0","dayNtlVlm":"0.0","markPx":"1.0","midPx":null,"coin":"@71"},
      {"prevDayPx":"40.2","dayNtlVlm":"74058905.5426500589","markPx":"41.328","midPx":"41.3315","coin":"@107"},
      {"prevDayPx":"40.1","dayNtlVlm":"12.5","markPx":"41.3","midPx":null,"coin":"@207"}]]
    """#

    @Test("spotMetaAndAssetCtxs names pairs BASE/QUOTE, keeps the exchange's coin, and leaves out contexts of unlisted pairs")
    func spotContexts() throws {
        let events = try HyperliquidNormalizer.normalize(.spotMetaAndAssetCtxs, body: Array(Self.spot.utf8))
        let universe = try #require(events[0].event as? HyperliquidUniverse)
        #expect(universe.dex == "spot")
        #expect(universe.assets.map(\.symbol) == ["PURR/USDC", "HYPE/USDC", "HYPE/USDT0"])
        #expect(universe.assets.map(\.quote) == ["USDC", "USDC", "USDT0"])
        #expect(universe.assets[1].sizeDecimals == 2 && universe.assets[1].index == 107)
        let contexts = try #require(events[1].event as? HyperliquidSpotContexts)
        #expect(contexts.contexts.map(\.coin) == ["PURR/USDC", "@107", "@207"])
        #expect(contexts.contexts[1].symbol == "HYPE/USDC")
        #expect(contexts.contexts[1].midPxE8 == 4_133_150_000)
        #expect(contexts.contexts[0].dayNotionalVolumeE2 == 79_765_124)
        #expect(contexts.contexts[2].midPxE8 == nil)
        for item in events { _ = try item.event.canonicalPayload() }

        let broken = Self.spot.replacingOccurrences(of: #""tokens":[150,268]"#, with: #""tokens":[150,999]"#)
        do {
            _ = try HyperliquidNormalizer.normalize(.spotMetaAndAssetCtxs, body: Array(broken.utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "[0].universe[2].tokens[1]")
        }
    }

    @Test("meta: the collateral token names the quote, and delisted assets are marked")
    func meta() throws {
        let body = #"{"universe":[{"name":"km:US500","szDecimals":3,"maxLeverage":20,"growthMode":"enabled"},{"name":"km:OLD","szDecimals":1,"maxLeverage":3,"isDelisted":true,"onlyIsolated":true}],"marginTables":[],"collateralToken":360}"#
        let universe = try #require(try HyperliquidNormalizer.normalize(.meta, body: Array(body.utf8), dex: "km").first?.event as? HyperliquidUniverse)
        #expect(universe.dex == "km")
        #expect(universe.assets.map(\.quote) == ["token:360", "token:360"])
        #expect(universe.assets[1].delisted && universe.assets[1].onlyIsolated && !universe.assets[0].delisted)
    }

    @Test("perpCategories keeps the exchange's words for builder-deployed perps")
    func perpCategories() throws {
        let body = #"[["xyz:TSLA","stocks"],["xyz:GOLD","commodities"],["flx:ODD","somethingelse"]]"#
        let categories = try #require(try HyperliquidNormalizer.normalize(.perpCategories, body: Array(body.utf8)).first?.event as? HyperliquidCategories)
        #expect(categories.source == "perp_categories")
        #expect(categories.entries.map(\.category) == ["stocks", "commodities", "somethingelse"])
        #expect(throws: IngestError.self) { try HyperliquidNormalizer.normalize(.perpCategories, body: Array(#"[["xyz:TSLA"]]"#.utf8)) }
    }

    @Test("DefiLlama chains, stablecoins, fees and DEX volume become exact USD × 10^2")
    func macro() throws {
        let chains = #"[{"gecko_id":"ethereum","tvl":61234567890.126,"tokenSymbol":"ETH","cmcId":"1027","name":"Ethereum","chainId":1},{"gecko_id":null,"tvl":1.5e3,"tokenSymbol":null,"name":"Tiny"}]"#
        let list = try #require(try DefiLlamaNormalizer.normalize(.chains, body: Array(chains.utf8), observedMs: 42).first?.event as? DefiLlamaChainTVL)
        #expect(list.chain == nil)
        #expect(list.points[0].tvlE2 == 6_123_456_789_013 && list.points[0].tokenSymbol == "ETH" && list.points[0].dateMs == 42)
        #expect(list.points[1].tvlE2 == 150_000 && list.points[1].tokenSymbol == nil)

        let stable = #"{"peggedAssets":[{"id":"1","name":"Tether","symbol":"USDT","pegType":"peggedUSD","pegMechanism":"fiat-backed","circulating":{"peggedUSD":183512345678.5},"chains":["Ethereum","Tron"],"price":1.0},{"id":"50","name":"EURC","symbol":"EURC","pegType":"peggedEUR","circulating":{"peggedEUR":123.456},"chains":[]}]}"#
        let coins = try #require(try DefiLlamaNormalizer.normalize(.stablecoins, body: Array(stable.utf8)).first?.event as? DefiLlamaStablecoins)
        #expect(coins.stablecoins[0].circulatingE2 == 18_351_234_567_850 && coins.stablecoins[0].peg == "peggedusd")
        #expect(coins.stablecoins[1].circulatingE2 == 12_346 && coins.stablecoins[1].chains.isEmpty)

        let fees = #"{"protocols":[{"name":"Tether","slug":"tether","total24h":21000000.5,"chains":["Ethereum"]},{"name":"Uniswap","total24h":5000000},{"name":"Quiet","total24h":null}],"total24h":40000000,"total7d":280000000.25,"totalDataChart":[]}"#
        let throughput = try #require(try DefiLlamaNormalizer.normalize(.fees, body: Array(fees.utf8)).first?.event as? DefiLlamaThroughput)
        #expect(throughput.metric == "fees" && throughput.total24hE2 == 4_000_000_000 && throughput.total7dE2 == 28_000_000_025)
        #expect(throughput.protocols.map(\.slug) == ["tether", "Uniswap"])
        let dexs = #"{"protocols":[{"name":"A","slug":"a","total24h":1},{"name":"B","slug":"b","total24h":3}]}"#
        let volume = try #require(try DefiLlamaNormalizer.normalize(.dexs, body: Array(dexs.utf8)).first?.event as? DefiLlamaThroughput)
        #expect(volume.metric == "dex_volume" && volume.total24hE2 == 400 && volume.total7dE2 == nil)
        #expect(volume.protocols.map(\.slug) == ["b", "a"])
        #expect(throws: IngestError.self) { try DefiLlamaNormalizer.normalize(.stablecoins, body: Array(#"{"peggedAssets":[{"name":"X"}]}"#.utf8)) }
    }

    @Test("a recorded response's request comes from its file name and folder")
    func recordedNames() {
        let meta = RecordedResponse.request(forPath: "hyperliquid/metaAndAssetCtxs_dex-xyz_HIP3_2026-02-06.json")
        #expect(meta?.kind == "metaAndAssetCtxs" && meta?.dex == "xyz")
        #expect(RecordedResponse.request(forPath: "x/hyperliquid/metaAndAssetCtxs_dex-default_2026.json")?.dex == "")
        #expect(RecordedResponse.request(forPath: "defillama/historicalChainTvl_all_2018.json")?.chain == "All")
        #expect(RecordedResponse.request(forPath: "defillama/historicalChainTvl_Ethereum_2024.json")?.chain == "Ethereum")
        #expect(RecordedResponse.request(forPath: "polymarket/gamma_events_x.json")?.kind == "markets")
        #expect(RecordedResponse.request(forPath: "spotMeta_2025.json")?.source == nil)
        #expect(RecordedResponse.request(forPath: "hyperliquid/perpDexs_2025.json") == nil)
        #expect(RecordedResponse.request(forPath: "polymarket/gamma_tags.json") == nil)
        #expect(RecordedResponse.request(forPath: "defillama/stablecoins.json")?.kind == "stablecoins")
    }

    @Test("every recorded response of the shared fixtures that names a request ingests, with exact values",
          .enabled(if: RealFixtures.present, "the shared real fixtures are not beside the repository; skipped"))
    func everyRealFixture() throws {
        let root = (RealFixtures.folder as NSString).deletingLastPathComponent
        let files = try #require(RecordedResponse.files(in: root))
        var ingested = 0
        for (file, request) in files.recognized {
            let body = Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + file)))
            let drafts = try request.drafts(pages: [body], timestampMs: 1_765_584_000_000)
            #expect(!drafts.isEmpty, "\(file)")
            for draft in drafts { _ = try EventCatalog.decode(LogRecord(sequence: 1, streamVersion: 1, draft: draft)) }
            ingested += 1
        }
        #expect(ingested >= 24)

        let spot = try HyperliquidNormalizer.normalize(.spotMetaAndAssetCtxs, body: try RealFixtures.load("spotMetaAndAssetCtxs_2025-11-09.json"))
        let contexts = try #require(spot[1].event as? HyperliquidSpotContexts)
        let hype = try #require(contexts.contexts.first { $0.coin == "@107" })
        #expect(hype.symbol == "HYPE/USDC" && hype.markPxE8 == 4_132_800_000 && hype.prevDayPxE8 == 4_020_000_000)
        #expect(contexts.contexts.first { $0.coin == "PURR/USDC" }?.midPxE8 == 11_311_000)
        let old = try #require(try HyperliquidNormalizer.normalize(.meta, body: try RealFixtures.load("meta_2023-07-17.json")).first?.event as? HyperliquidUniverse)
        #expect(old.assets.count == 28 && old.assets[0].maxLeverage == 50 && old.assets[0].quote == "USDC")
    }
}

@Suite("Polymarket pages against a local server", .timeLimit(.minutes(5)))
struct PolymarketPagesTests {
    static func market(_ id: Int) -> String {
        #"{"id":"\#(id)","slug":"m-\#(id)","question":"Q\#(id)?","active":true,"closed":false,"outcomes":"[\"Yes\",\"No\"]","outcomePrices":"[\"0.5\",\"0.5\"]","volume":"1"}"#
    }

    @Test("a listing is read page by page until a short page, a market on two pages is kept once, and a bad page writes nothing")
    func pages() throws {
        let server = try ScriptedHTTPServer([
            .respond(status: 200, body: "[\(Self.market(1)),\(Self.market(2))]"),
            .respond(status: 200, body: "[\(Self.market(2)),\(Self.market(3))]"),
            .respond(status: 200, body: "[\(Self.market(4))]"),
        ])
        defer { server.stop() }
        let client = MarketClient(source: "polymarket", policy: ClientPolicy(baseURL: server.baseURL, minimumIntervalMilliseconds: 1))
        let pages = try PolymarketGamma.fetchPages(client, base: server.baseURL.absoluteString, path: "/markets?active=true", pageSize: 2)
        #expect(pages.count == 3 && server.served == 3)
        let markets = try #require(try PolymarketNormalizer.normalize("markets", pages: pages).first?.event as? PolymarketMarkets)
        #expect(markets.markets.map(\.marketId) == ["1", "2", "3", "4"])

        let bad = pages + [Array(#"[{"id":"9"}]"#.utf8)]
        do {
            _ = try PolymarketNormalizer.normalize("markets", pages: bad)
            Issue.record("expected an error")
        } catch {
            #expect(error.request == "markets page 4")
        }
    }

    @Test("a listing whose second page fails (500, then gave up) writes nothing, not the first page alone")
    func failedPageWritesNothing() throws {
        let server = try ScriptedHTTPServer([.respond(status: 200, body: "[\(Self.market(1)),\(Self.market(2))]"),
                                         .respond(status: 500, body: "down"), .respond(status: 500, body: "down")])
        defer { server.stop() }
        var urls = MarketSources.BaseURLs()
        urls.polymarket = server.baseURL.absoluteString
        let sources = try MarketSources(urls: urls, policy: ClientPolicy(baseURL: server.baseURL, attempts: 2, backoffMilliseconds: 5,
                                                                        minimumIntervalMilliseconds: 1))
        var request = try IngestRequest(source: .polymarket, kind: "markets")
        request.path = "/markets?active=true"
        request.pageSize = 2
        let log = MemoryLog()
        let poller = Poller(jobs: [], sources: sources, log: log, now: { 1 })
        guard case .failed(_, let error, _, _) = try poller.poll(request) else {
            Issue.record("expected the listing to fail")
            return
        }
        #expect(error.description.contains("HTTP 500") && error.description.contains("page 2"))
        #expect(try log.head.sequence == 0)
    }
}
