import EventSchemas
import LedgerLog
import Market
import Testing

@Suite("Synthetic market", .timeLimit(.minutes(5)))
struct SyntheticMarketTests {
    @Test("the same seed gives the same events: the universe, a tick per asset and step, contexts every hour, in time order")
    func deterministic() throws {
        let market = SyntheticMarket(seed: 9, assets: 30, hours: 2, stepMilliseconds: 60_000)
        let first = Array(market)
        let second = Array(SyntheticMarket(seed: 9, assets: 30, hours: 2, stepMilliseconds: 60_000))
        #expect(first == second)
        #expect(first.count == market.count)
        #expect(first.filter { $0.type == MarketTick.type }.count == 30 * 120)
        #expect(first.map(\.type).filter { $0 != MarketTick.type }
            == [HyperliquidUniverse.type, HyperliquidAssetContexts.type] + Array(repeating: HyperliquidBookSummary.type, count: 30))
        #expect(Array(SyntheticMarket(seed: 1, assets: 3, hours: 5, stepMilliseconds: 7 * 60_000)).count
            == SyntheticMarket(seed: 1, assets: 3, hours: 5, stepMilliseconds: 7 * 60_000).count)
        for draft in first where draft.type != MarketTick.type { _ = try EventCatalog.decode(LogRecord(sequence: 1, streamVersion: 1, draft: draft)) }
        #expect(Set(first.map(\.stream)).count == 31)
        let books = try first.filter { $0.type == HyperliquidBookSummary.type }.map {
            try #require(try EventCatalog.decode(LogRecord(sequence: 1, streamVersion: 1, draft: $0)) as? HyperliquidBookSummary)
        }
        #expect(books.allSatisfy { $0.bestBidE8 < $0.bestAskE8 && (1...8).contains($0.spreadBp) && $0.bidDepthE2 > 0 })
        #expect(first.map(\.timestampMs) == first.map(\.timestampMs).sorted())
        #expect(Array(SyntheticMarket(seed: 10, assets: 30, hours: 2)) != first)
        for draft in first.prefix(100) { try CanonicalJSON.validateObject(draft.payload) }
    }
}
