import EventSchemas
import Foundation
import LedgerLog
import Market
import Testing

/// Synthetic market version 2 held against the recorded Hyperliquid universe, and continued.
@Suite("Synthetic market v2: as lively as the recorded one", .timeLimit(.minutes(5)))
struct LivelyMarketTests {
    static func records(_ market: SyntheticMarket) -> [LogRecord] {
        market.enumerated().map { LogRecord(sequence: UInt64($0.offset + 1), streamVersion: 1, draft: $0.element) }
    }

    static func stats(_ market: SyntheticMarket) throws -> MarketStats.Report {
        var stats = MarketStats()
        for record in records(market) { try stats.add(record) }
        return stats.report()
    }

    /// 60 assets over two days: the known bases (majors, large caps, DOGE) and drawn ones.
    static let report = Result { try stats(SyntheticMarket(seed: 3, assets: 60, hours: 48)) }

    @Test("the median absolute 24-hour move lies between the two recorded universes' (1.8 % and 6.1 %), with a fat upper tail")
    func dailyMoves() throws {
        let report = try Self.report.get()
        let median = try #require(report.medianAbsMove24h), p90 = try #require(report.p90AbsMove24h)
        var recorded: [Double] = []
        if RealFixtures.present {
            for name in ["metaAndAssetCtxs_2025-08-22.json", "metaAndAssetCtxs_dex-default_2026-02-06.json"] {
                var stats = MarketStats()
                let events = try HyperliquidNormalizer.normalize(.metaAndAssetCtxs, body: try RealFixtures.load(name))
                for (index, event) in events.enumerated() {
                    try stats.add(LogRecord(sequence: UInt64(index + 1), streamVersion: 1,
                                            draft: try event.event.draft(id: "r\(index)", stream: event.stream, timestampMs: 1)))
                }
                recorded.append(try #require(stats.report().medianAbsMove24h))
            }
            #expect(abs(recorded[0] - 0.0184) < 0.001 && abs(recorded[1] - 0.0611) < 0.001, "the recordings' medians: \(recorded)")
        } else {
            print("skipped: the recorded universes (../shared/fixtures/real) are absent; comparing with their published medians")
            recorded = [0.0184, 0.0611]
        }
        #expect(median > recorded.min()! && median < recorded.max()!, "median |24h move| \(median), recorded \(recorded)")
        #expect(p90 > 2 * median, "90th percentile \(p90) against a median of \(median)")
        #expect(report.assets.filter { $0.move24hSource == "series" }.count == 60)
    }

    @Test("majors are calmer than memes; assets move with BTC; 1-minute moves are far above version 1's 0.012 %")
    func tiersAndFactor() throws {
        let assets = Dictionary(uniqueKeysWithValues: try Self.report.get().assets.map { ($0.symbol, $0) })
        let btc = try #require(assets["BTC"]?.volatility), eth = try #require(assets["ETH"]?.volatility), doge = try #require(assets["DOGE"]?.volatility)
        #expect(btc < doge && eth < doge, "BTC \(btc), ETH \(eth), DOGE \(doge) a minute")
        #expect(btc > 0.0004 && btc < 0.0009, "BTC's 1-minute volatility \(btc): about 2 % a day")
        #expect(try #require(assets["ETH"]?.correlationWithBTC) > 0.7)
        let correlations = assets.values.compactMap(\.correlationWithBTC)
        #expect(correlations.count == 59 && correlations.allSatisfy { $0 > 0.2 && $0 < 0.98 }, "\(correlations.sorted())")
        let calm = try Self.stats(SyntheticMarket(seed: 3, assets: 10, hours: 24, version: 1))
        #expect(calm.assets.allSatisfy { ($0.volatility ?? 1) < 0.0002 }, "version 1 stays the calm walk its logs hold")
    }

    @Test("fat tails and clustering: 1-minute returns fatter-tailed than a normal distribution, and a volatile hour followed by another")
    func tailsAndClustering() throws {
        var mids: [[Int64]] = Array(repeating: [], count: 20)
        for draft in SyntheticMarket(seed: 8, assets: 20, hours: 72) where draft.type == MarketTick.type {
            let tick = try EventCatalog.decode(LogRecord(sequence: 1, streamVersion: 1, draft: draft), as: MarketTick.self)
            mids[Int(draft.id.split(separator: "-").last!)!].append(tick.midE8)
        }
        var kurtoses: [Double] = [], clustering: [Double] = []
        for series in mids {
            let returns = zip(series, series.dropFirst()).map { log(Double($1) / Double($0)) }
            let n = Double(returns.count)
            let variance = returns.reduce(0) { $0 + $1 * $1 } / n
            kurtoses.append(returns.reduce(0) { $0 + pow($1, 4) } / n / (variance * variance))
            // Each hour's realized volatility against the next hour's.
            let hourly = stride(from: 0, to: returns.count - 59, by: 60).map { start in returns[start..<(start + 60)].reduce(0) { $0 + $1 * $1 }.squareRoot() }
            let mean = hourly.reduce(0, +) / Double(hourly.count)
            let lagged = zip(hourly, hourly.dropFirst()).reduce(0) { $0 + ($1.0 - mean) * ($1.1 - mean) }
            clustering.append(lagged / hourly.reduce(0) { $0 + ($1 - mean) * ($1 - mean) })
        }
        #expect(kurtoses.filter { $0 > 5 }.count >= 15, "kurtosis of 1-minute returns (3 for a normal distribution): \(kurtoses)")
        #expect(clustering.reduce(0, +) / Double(clustering.count) > 0.2 && clustering.filter { $0 > 0 }.count >= 18,
                "autocorrelation of hourly realized volatility: \(clustering)")
    }

    @Test("funding follows the path, books widen with volatility, within Hyperliquid's limits")
    func fundingAndBooks() throws {
        let drafts = Array(SyntheticMarket(seed: 4, assets: 12, hours: 48))
        let records = drafts.enumerated().map { LogRecord(sequence: UInt64($0.offset + 1), streamVersion: 1, draft: $0.element) }
        let ticks = try records.filter { $0.type == MarketTick.type }.map { try EventCatalog.decode($0, as: MarketTick.self) }
        #expect(ticks.allSatisfy { abs($0.fundingE8) <= 4_000_000 && $0.openInterestE2 > 0 && $0.midE8 > 0 })
        #expect(Set(ticks.map(\.fundingE8)).count > 1_000, "funding moves")
        // Open interest follows volatility but stays bounded (it settles near its start, not off to infinity).
        for symbol in Set(ticks.map(\.symbol)) {
            let series = ticks.filter { $0.symbol == symbol }.map(\.openInterestE2)
            let ratio = Double(series.max()!) / Double(series.first!)
            #expect(ratio < 4 && Double(series.min()!) / Double(series.first!) > 0.5, "\(symbol): open interest \(series.first!) to \(series.max()!)")
        }
        // Funding against the last hour's move, per asset at each full hour: positive correlation.
        var pairs: [(Double, Double)] = []
        for symbol in Set(ticks.map(\.symbol)) {
            let series = ticks.filter { $0.symbol == symbol }
            for index in stride(from: 60, to: series.count, by: 60) {
                pairs.append((log(Double(series[index].midE8) / Double(series[index - 60].midE8)), Double(series[index].fundingE8)))
            }
        }
        let meanX = pairs.reduce(0) { $0 + $1.0 } / Double(pairs.count), meanY = pairs.reduce(0) { $0 + $1.1 } / Double(pairs.count)
        let covariance = pairs.reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
        #expect(covariance > 0, "funding rises after the price does")
        let books = try records.filter { $0.type == HyperliquidBookSummary.type }.map { try EventCatalog.decode($0, as: HyperliquidBookSummary.self) }
        #expect(books.allSatisfy { $0.bestBidE8 < $0.bestAskE8 && $0.spreadBp >= 1 && $0.bidDepthE2 > 0 })
        #expect(Set(books.map(\.spreadBp)).count >= 4, "spreads vary with volatility: \(Set(books.map(\.spreadBp)).sorted())")
    }

    @Test("the same seed gives the same events; ids carry the time, so a continued market repeats none")
    func deterministicAndContinued() throws {
        let first = Array(SyntheticMarket(seed: 9, assets: 5, hours: 3))
        #expect(first == Array(SyntheticMarket(seed: 9, assets: 5, hours: 3)))
        #expect(first.count == SyntheticMarket(seed: 9, assets: 5, hours: 3).count)
        let log = MemoryLog()
        try log.append(first)
        let standing = try #require(try SyntheticMarket.standing(in: log))
        #expect(standing.symbols == ["BTC", "ETH", "SOL", "BNB", "XRP"] && standing.lastTickMs == 1_717_200_000_000 + 3 * 3_600_000 - 60_000)
        let next = SyntheticMarket(seed: 9, assets: 5, hours: 2, startMs: standing.lastTickMs + 60_000, continuing: standing.state)
        let continued = Array(next)
        #expect(continued.count == next.count && !continued.contains { $0.type == HyperliquidUniverse.type })
        #expect(Set(continued.map(\.id)).isDisjoint(with: first.map(\.id)))
        try log.append(continued)
        let firstTicks = continued.filter { $0.type == MarketTick.type }.prefix(5)
        for (index, draft) in firstTicks.enumerated() {
            let tick = try EventCatalog.decode(LogRecord(sequence: 1, streamVersion: 1, draft: draft), as: MarketTick.self)
            let jump = abs(Double(tick.midE8) / Double(standing.state.midsE8[index]) - 1)
            #expect(jump < 0.02, "\(tick.symbol) carries on from its last mid (moved \(jump))")
        }
        #expect(continued.first?.type == HyperliquidAssetContexts.type, "the hour the continuation starts on has its contexts")
    }
}
