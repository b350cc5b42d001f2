import EventSchemas
import Foundation
import LedgerLog
import Market
import Testing

/// The real recorded responses beside the repository, when present.
enum RealFixtures {
    static var folder: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path + "/shared/fixtures/real/hyperliquid"
    }

    static var present: Bool { FileManager.default.fileExists(atPath: folder) }

    static func load(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
    }
}

@Suite("Hyperliquid normalizers", .timeLimit(.minutes(5)))
struct HyperliquidNormalizerTests {
    static let metaAndContexts = #"""
    [{"universe":[{"szDecimals":5,"name":"BTC","maxLeverage":40,"marginTableId":56},
                  {"szDecimals":1,"name":"MATIC","maxLeverage":20,"isDelisted":true,"newField":7}]},
     [{"funding":"0.0000125","openInterest":"25877.14916","prevDayPx":"113776.0","dayNtlVlm":"3677355032.5003023148",
       "premium":"-0.0002298729","oraclePx":"113106.0","markPx":"113080.0","midPx":"113079.5","impactPxs":["113079.0","113080.0"]},
      {"funding":"0.0","openInterest":"0.0","prevDayPx":"0.2","dayNtlVlm":"0.0","premium":null,"oraclePx":"0.2","markPx":"0.2",
       "midPx":null,"impactPxs":null}]]
    """#

    @Test("metaAndAssetCtxs becomes the universe and the contexts, exactly, nulls and delistings kept")
    func metaAndAssetContexts() throws {
        let events = try HyperliquidNormalizer.normalize(.metaAndAssetCtxs, body: Array(Self.metaAndContexts.utf8))
        let universe = try #require(events[0].event as? HyperliquidUniverse)
        #expect(universe.assets.map(\.symbol) == ["BTC", "MATIC"])
        #expect(universe.assets[1].delisted)
        let contexts = try #require(events[1].event as? HyperliquidAssetContexts)
        #expect(contexts.contexts[0].markPxE8 == 11_308_000_000_000)
        #expect(contexts.contexts[0].fundingE12 == 12_500_000)
        #expect(contexts.contexts[0].premiumE12 == -229_872_900)
        #expect(contexts.contexts[0].dayNotionalVolumeE2 == 367_735_503_250)
        #expect(contexts.contexts[0].impactAskPxE8 == 11_308_000_000_000)
        #expect(contexts.contexts[1].midPxE8 == nil && contexts.contexts[1].premiumE12 == nil)
        // Every event fits its catalog schema and encodes canonically.
        for item in events { _ = try item.event.canonicalPayload() }
    }

    @Test("a malformed or truncated response is an error naming the request and field")
    func malformed() {
        let truncated = Array(Self.metaAndContexts.utf8.dropLast(40))
        #expect(throws: IngestError.self) { try HyperliquidNormalizer.normalize(.metaAndAssetCtxs, body: truncated) }
        let badPrice = Self.metaAndContexts.replacingOccurrences(of: #""markPx":"113080.0""#, with: #""markPx":"11x""#)
        do {
            _ = try HyperliquidNormalizer.normalize(.metaAndAssetCtxs, body: Array(badPrice.utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "[1][0].markPx")
            #expect(error.request == "metaAndAssetCtxs")
        }
        #expect(throws: IngestError.self) { try HyperliquidNormalizer.normalize(.allMids, body: Array(#"["not","mids"]"#.utf8)) }
    }

    @Test("the book summary's spread and depth are computed in integers")
    func bookSummary() throws {
        let body = #"{"coin":"DYDX","time":1,"levels":[[{"px":"2.0","sz":"10","n":1},{"px":"1.99","sz":"5","n":1},{"px":"1.5","sz":"100","n":1}],[{"px":"2.01","sz":"4","n":1},{"px":"2.5","sz":"100","n":1}]]}"#
        let summary = try #require(try HyperliquidNormalizer.normalize(.l2Book, body: Array(body.utf8)).first?.event as? HyperliquidBookSummary)
        #expect(summary.bestBidE8 == 200_000_000 && summary.bestAskE8 == 201_000_000)
        #expect(summary.spreadBp == 49)  // 0.01 / 2.005 = 49.9 bp, floored
        #expect(summary.bidDepthE2 == 2_995)  // 2.0 × 10 + 1.99 × 5 = 29.95 USD
        #expect(summary.askDepthE2 == 804)  // 2.01 × 4 = 8.04 USD
    }

    @Test("every recorded Hyperliquid response of the shared fixtures ingests, with the response's exact values",
          .enabled(if: RealFixtures.present, "the shared real fixtures are not beside the repository; skipped"))
    func realFixtures() throws {
        let mids = try HyperliquidNormalizer.normalize(.allMids, body: try RealFixtures.load("allMids_2025-12-13.json"))
        let all = try #require(mids.first?.event as? HyperliquidMids)
        #expect(all.mids.first { $0.symbol == "0G" }?.midE8 == 89_854_500)

        let contexts = try HyperliquidNormalizer.normalize(.metaAndAssetCtxs, body: try RealFixtures.load("metaAndAssetCtxs_2025-08-22.json"))
        let btc = try #require((contexts[1].event as? HyperliquidAssetContexts)?.contexts.first { $0.symbol == "BTC" })
        #expect(btc.markPxE8 == 11_308_000_000_000)
        #expect(btc.fundingE12 == 12_500_000)
        #expect(btc.openInterestE8 == 2_587_714_916_000)
        _ = try HyperliquidNormalizer.normalize(.metaAndAssetCtxs, body: try RealFixtures.load("metaAndAssetCtxs_dex-xyz_HIP3_2026-02-06.json"), dex: "xyz")

        let candles = try #require(try HyperliquidNormalizer.normalize(.candleSnapshot, body: try RealFixtures.load("candleSnapshot_kPEPE_1h_2023-05-21_to_2023-05-22.json")).first?.event as? HyperliquidCandles)
        #expect(candles.symbol == "kPEPE" && candles.interval == "1h")
        #expect(candles.candles.first?.openE8 == 160_100 && candles.candles.first?.trades == 709)

        let funding = try #require(try HyperliquidNormalizer.normalize(.fundingHistory, body: try RealFixtures.load("fundingHistory_BTC_2023-04-19_to_2023-05-23.json")).first?.event as? HyperliquidFunding)
        #expect(funding.symbol == "BTC" && !funding.entries.isEmpty)

        let book = try #require(try HyperliquidNormalizer.normalize(.l2Book, body: try RealFixtures.load("l2Book_DYDX_2023-07-17.json")).first?.event as? HyperliquidBookSummary)
        #expect(book.bestBidE8 == 211_100_000)
    }
}

@Suite("Polymarket and DefiLlama normalizers", .timeLimit(.minutes(5)))
struct OtherSourcesTests {
    static var shared: String { (RealFixtures.folder as NSString).deletingLastPathComponent }

    @Test("a Gamma market becomes exact prices, ms dates and its outcomes")
    func gammaMarket() throws {
        let body = #"{"id":"559652","slug":"newsom-2028","question":"Will Newsom win?","endDate":"2028-11-07T00:00:00Z","active":true,"closed":false,"outcomes":"[\"Yes\", \"No\"]","outcomePrices":"[\"0.2325\", \"0.7675\"]","volume":"25814545.294374414","liquidity":"230438.22824","orderMinSize":5,"spread":0.001}"#
        let markets = try #require(try PolymarketNormalizer.normalize("market", body: Array(body.utf8)).first?.event as? PolymarketMarkets)
        let market = try #require(markets.markets.first)
        #expect(market.outcomes == ["Yes", "No"])
        #expect(market.outcomePricesE6 == [232_500, 767_500])
        #expect(market.volumeE2 == 2_581_454_529)
        #expect(market.endMs == 1_857_168_000_000)
        _ = try markets.canonicalPayload()
    }

    @Test("DefiLlama protocols and chain history become exact USD × 10^2")
    func defillama() throws {
        let body = #"[{"name":"Curve","slug":"curve","category":"Dexes","chains":["Ethereum","Fantom"],"tvl":16890071630.01999}]"#
        let protocols = try #require(try DefiLlamaNormalizer.normalize(.protocols, body: Array(body.utf8)).first?.event as? DefiLlamaProtocols)
        #expect(protocols.protocols.first?.tvlE2 == 1_689_007_163_002)
        let history = try #require(try DefiLlamaNormalizer.normalize(.historicalChainTvl, body: Array(#"[{"date":1530230400,"tvl":20541.94079040033}]"#.utf8)).first?.event as? DefiLlamaChainTVL)
        #expect(history.points.first?.dateMs == 1_530_230_400_000 && history.points.first?.tvlE2 == 2_054_194)
    }

    @Test("the shared Polymarket and DefiLlama recordings ingest",
          .enabled(if: RealFixtures.present, "the shared real fixtures are not beside the repository; skipped"))
    func realFixtures() throws {
        let folder = Self.shared
        for name in try FileManager.default.contentsOfDirectory(atPath: folder + "/polymarket").sorted() where name.hasPrefix("gamma_market") || name.hasPrefix("gamma_events") {
            let body = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/polymarket/" + name)))
            let events = try PolymarketNormalizer.normalize(name, body: body)
            let markets = try #require(events.first?.event as? PolymarketMarkets, "\(name)")
            #expect(!markets.markets.isEmpty, "\(name)")
            _ = try markets.canonicalPayload()
        }
        let live = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/polymarket/gamma_market_newsom-2028-nomination_live.json")))
        let newsom = try #require((try PolymarketNormalizer.normalize("market", body: live).first?.event as? PolymarketMarkets)?.markets.first)
        #expect(newsom.outcomePricesE6 == [232_500, 767_500])
        let protocols = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/defillama/protocols_top10_2022-01-29_openbb-filtered.json")))
        let curve = try #require((try DefiLlamaNormalizer.normalize(.protocols, body: protocols).first?.event as? DefiLlamaProtocols)?.protocols.first)
        #expect(curve.slug == "curve" && curve.tvlE2 == 1_689_007_163_002)
        let history = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/defillama/historicalChainTvl_all_2018-06_to_2023-09-09.json")))
        let points = try #require((try DefiLlamaNormalizer.normalize(.historicalChainTvl, body: history).first?.event as? DefiLlamaChainTVL)?.points)
        #expect(points.count == 1_899)
        #expect(points.last?.tvlE2 == 3_786_431_475_864)
    }
}
