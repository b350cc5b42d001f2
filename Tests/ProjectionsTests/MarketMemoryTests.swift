import EventSchemas
import Foundation
import GRDB
import LedgerLog
import Market
import Projections
import Testing

@Suite("Market memory", .timeLimit(.minutes(5)))
struct MarketMemoryTests {
    static let meta = #"[{"universe":[{"szDecimals":5,"name":"BTC","maxLeverage":40},{"szDecimals":1,"name":"MATIC","maxLeverage":20,"isDelisted":true}]},[{"funding":"0.0000125","openInterest":"25877.14916","prevDayPx":"113776.0","dayNtlVlm":"3677355032.5","premium":"-0.0002298729","oraclePx":"113106.0","markPx":"113080.0","midPx":"113079.5","impactPxs":["113079.0","113080.0"]},{"funding":"0.0","openInterest":"0.0","prevDayPx":"0.2","dayNtlVlm":"0.0","premium":null,"oraclePx":"0.2","markPx":"0.2","midPx":null,"impactPxs":null}]]"#
    static let mids = #"{"BTC":"113100.5","MATIC":"0.2"}"#
    static let book = #"{"coin":"BTC","time":1,"levels":[[{"px":"113100.0","sz":"1.5","n":3}],[{"px":"113101.0","sz":"2","n":1}]]}"#

    @Test("ingested Hyperliquid responses fold into market memory with their exact values, and replay equals live")
    func ingestThenProject() throws {
        let log = TickLog()
        defer { log.cleanup() }
        let writer = try FileLog.open(directory: log.logPath, options: FileLogOptions(fsync: .none))
        for (request, body, at) in [(HyperliquidRequest.metaAndAssetCtxs, Self.meta, Int64(1_000)), (.allMids, Self.mids, 2_000), (.l2Book, Self.book, 3_000)] {
            let bytes = Array(body.utf8)
            let kind = try IngestRequest(source: .hyperliquid, kind: request.rawValue)
            try writer.append(try kind.drafts(pages: [bytes], timestampMs: 1_765_584_000_000 + at))
        }
        try writer.close()

        let runner = try log.runner()
        defer { try? runner.close() }
        try runner.catchUp()
        try runner.read("market_memory") { db in
            let btc = try #require(try Row.fetchOne(db, sql: "SELECT * FROM asset_context WHERE symbol = 'BTC'"))
            #expect(btc["mark_px_e8"] as Int64 == 11_308_000_000_000)
            #expect(btc["funding_e12"] as Int64 == 12_500_000)
            #expect((btc["premium_e12"] as Int64?) == -229_872_900)
            let matic = try #require(try Row.fetchOne(db, sql: "SELECT * FROM asset_context WHERE symbol = 'MATIC'"))
            #expect((matic["mid_px_e8"] as Int64?) == nil)
            #expect(try Bool.fetchOne(db, sql: "SELECT delisted FROM asset WHERE symbol = 'MATIC'") == true)
            #expect(try Int64.fetchOne(db, sql: "SELECT mid_e8 FROM mid WHERE symbol = 'BTC'") == 11_310_050_000_000)
            #expect(try Int64.fetchOne(db, sql: "SELECT spread_bp FROM book WHERE symbol = 'BTC'") == 0)
        }
        try runner.verifyReplay()
    }
}

@Suite("Market memory: a book summary that does not fit", .timeLimit(.minutes(5)))
struct BadBookSummaryTests {
    @Test("a book summary without its spread stops the fold at its sequence, naming the missing fields; the read model stays just before it")
    func missingField() throws {
        let log = TickLog()
        defer { log.cleanup() }
        let writer = try FileLog.open(directory: log.logPath, options: FileLogOptions(fsync: .none))
        let good = #"{"ask_depth_e2":1,"best_ask_e8":101,"best_bid_e8":100,"bid_depth_e2":1,"levels":1,"spread_bp":99,"symbol":"BTC"}"#
        let bad = #"{"ask_depth_e2":1,"best_ask_e8":101,"best_bid_e8":100,"bid_depth_e2":1,"levels":1,"symbol":"ETH"}"#
        try writer.append([EventDraft(id: "b1", type: HyperliquidBookSummary.type, stream: "market.BTC", timestampMs: 1, payload: Array(good.utf8)),
                           EventDraft(id: "b2", type: HyperliquidBookSummary.type, stream: "market.ETH", timestampMs: 2, payload: Array(bad.utf8))])
        try writer.close()
        let runner = try log.runner([MarketMemoryProjector()])
        defer { try? runner.close() }
        do {
            try runner.catchUp()
            Issue.record("expected the fold to stop")
        } catch let error as ProjectionError {
            #expect("\(error)".contains("2") && "\(error)".contains("spread_bp"))
        }
        // The read model stays just before the bad event: the good summary is in, the bad one is not.
        #expect(try runner.read("market_memory") { db in try String.fetchAll(db, sql: "SELECT symbol FROM book") } == ["BTC"])
        #expect(try runner.status().first?.checkpoint == 1)
    }
}

@Suite("Market memory from the real recordings", .timeLimit(.minutes(5)))
struct RealRecordingsMemoryTests {
    static var root: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path + "/shared/fixtures/real"
    }

    @Test("every recorded response folds into market memory, which holds the responses' exact values; replay equals live",
          .enabled(if: FileManager.default.fileExists(atPath: root), "the shared real fixtures are not beside the repository; skipped"))
    func realRecordings() throws {
        let log = TickLog()
        defer { log.cleanup() }
        let writer = try FileLog.open(directory: log.logPath, options: FileLogOptions(fsync: .none))
        for (file, request) in try #require(RecordedResponse.files(in: Self.root)).recognized {
            let body = Array(try Data(contentsOf: URL(fileURLWithPath: Self.root + "/" + file)))
            try writer.append(try request.drafts(pages: [body], timestampMs: 1_765_584_000_000))
        }
        try writer.close()
        let runner = try log.runner()
        defer { try? runner.close() }
        try runner.catchUp()
        try runner.read("market_memory") { (db) throws in
            #expect(try Int64.fetchOne(db, sql: "SELECT mark_px_e8 FROM spot_context WHERE symbol = 'HYPE/USDC'") == 4_132_800_000)
            #expect(try String.fetchOne(db, sql: "SELECT coin FROM spot_context WHERE symbol = 'HYPE/USDC'") == "@107")
            let tsla = try #require(try Row.fetchOne(db, sql: "SELECT * FROM asset_context WHERE dex = 'xyz' AND symbol = 'xyz:TSLA'"))
            #expect(tsla["funding_e12"] as Int64 == 6_250_000)
            #expect(tsla["impact_bid_px_e8"] as Int64 == 39_928_800_000)
            #expect(try Bool.fetchOne(db, sql: "SELECT only_isolated FROM asset WHERE symbol = 'xyz:TSLA'") == true)
            #expect(try String.fetchOne(db, sql: "SELECT outcome_prices_e6 FROM polymarket_market WHERE slug LIKE 'will-gavin-newsom%'") == "[232500,767500]")
            #expect(try Int64.fetchOne(db, sql: "SELECT tvl_e2 FROM chain_tvl WHERE chain = 'All' ORDER BY date_ms DESC LIMIT 1") == 3_786_431_475_864)
            #expect(try Int64.fetchOne(db, sql: "SELECT open_e8 FROM exchange_candle WHERE symbol = 'kPEPE' ORDER BY open_ms LIMIT 1") == 160_100)
            #expect(try Int64.fetchOne(db, sql: "SELECT tvl_e2 FROM protocol WHERE slug = 'curve'") == 1_689_007_163_002)
            #expect(try Int64.fetchOne(db, sql: "SELECT best_bid_e8 FROM book WHERE symbol = 'DYDX'") == 211_100_000)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM funding WHERE symbol = 'BTC'")! > 100)
            // An asset listed in 2023 and gone from the newer universes is kept, marked delisted.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM asset WHERE dex = '' AND delisted = 1")! > 0)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM asset WHERE dex = 'spot'")! > 200)
        }
        // A spot pair: the newest mid of its contexts, or of allMids under the exchange's coin name.
        let hype = try #require(try runner.withAssetMemory { try $0.latest("HYPE/USDC") })
        #expect(hype.kind == "spot" && hype.categories == ["Spot", "Spot/USDC"])
        #expect(hype.price?.midE8 == 4_133_150_000)
        let later = try FileLog.open(directory: log.logPath, options: FileLogOptions(fsync: .none))
        try later.append(try (try IngestRequest(source: .hyperliquid, kind: "allMids")).drafts(pages: [Array(#"{"@107":"30.5"}"#.utf8)],
                                                                                            timestampMs: 1_765_584_000_001))
        try later.close()
        try runner.catchUp()
        #expect(try runner.withAssetMemory { try $0.latest("HYPE/USDC") }?.price?.midE8 == 3_050_000_000)
        try runner.verifyReplay()
    }
}
