import EventSchemas
import Foundation
import LedgerLog
import Market
import Testing

@Suite("the candle feed", .timeLimit(.minutes(5)))
struct CandleFeedTests {
    /// 2026-02-06 00:00 UTC.
    static let midnight: Int64 = 1_770_336_000_000
    static let fiveMinutes: Int64 = 300_000

    static func need(_ symbol: String = "BTC", lookback: Int = 24, logged: Int64? = nil) -> CandleFeed.Need {
        CandleFeed.Need(symbol: symbol, interval: "5m", intervalMs: fiveMinutes, lookback: lookback, loggedThroughMs: logged)
    }

    static func answered(_ request: IngestRequest) -> Poller.Outcome {
        .appended(request, drafts: [], result: AppendResult(firstSequence: 1, lastSequence: 1, written: true), afterFailures: 0)
    }

    @Test("a new series is backfilled over its lookback, closed candles only; then asked for once per close, from the candle after the newest logged")
    func backfillThenEachClose() throws {
        let feed = CandleFeed()
        feed.want([Self.need(lookback: 6), Self.need(lookback: 24)])
        let now = Self.midnight + 2 * 60_000 + 2_000
        let first = feed.due(nowMs: now)
        #expect(first.count == 1, "two plans reading the same series ask once, for the longer lookback")
        let newestClosed = Self.midnight - Self.fiveMinutes
        #expect(first[0].kind == "candleSnapshot" && first[0].symbol == "BTC" && first[0].interval == "5m"
                && first[0].startMs == newestClosed - 23 * Self.fiveMinutes && first[0].endMs == now && first[0].closedBeforeMs == now)
        _ = feed.finished(Self.answered(first[0]), nowMs: now)
        #expect(feed.due(nowMs: now + 60_000).isEmpty, "nothing closed since")
        let next = feed.due(nowMs: Self.midnight + Self.fiveMinutes + 1_000)
        #expect(next.count == 1 && next[0].startMs == Self.midnight, "only the candle that just closed")
    }

    @Test("a restarted reader's logged candles are not fetched again; a failed request waits and backs off; a series no longer wanted is not fetched")
    func loggedFailedDropped() throws {
        let feed = CandleFeed()
        let now = Self.midnight + 1_000
        feed.want([Self.need(logged: Self.midnight - Self.fiveMinutes)])
        #expect(feed.due(nowMs: now).isEmpty, "the newest closed candle is logged already")
        feed.want([Self.need(logged: Self.midnight - 3 * Self.fiveMinutes)])
        let request = try #require(feed.due(nowMs: now).first)
        #expect(request.startMs == Self.midnight - 2 * Self.fiveMinutes, "from the candle after the newest logged")
        let error = IngestError(source: "hyperliquid", request: "candleSnapshot", field: "", reason: "HTTP 500")
        var waits: [Int] = []
        var time = now
        for _ in 0..<4 {
            guard case let .failed(_, _, inARow, retry) = feed.finished(.failed(request, error, inARow: 1, retryInSeconds: 0), nowMs: time) else {
                Issue.record("a failure stays a failure")
                return
            }
            #expect(inARow == waits.count + 1)
            waits.append(retry)
            #expect(feed.due(nowMs: time + Int64(retry) * 1_000 - 1).isEmpty && feed.due(nowMs: time + Int64(retry) * 1_000).count == 1)
            time += Int64(retry) * 1_000
        }
        #expect(waits == [10, 10, 20, 40], "the poller's backoff: after three in a row the wait doubles")
        feed.want([])
        #expect(feed.due(nowMs: time).isEmpty)
    }

    @Test("a candle snapshot's open candle is never logged: it still changes")
    func openCandleDropped() throws {
        var request = try IngestRequest(source: .hyperliquid, kind: "candleSnapshot")
        request.symbol = "BTC"
        request.interval = "5m"
        request.closedBeforeMs = Self.midnight + Self.fiveMinutes + 1
        let body = #"""
        [{"t":1770336000000,"T":1770336299999,"s":"BTC","i":"5m","o":"100.0","c":"101.0","h":"102.0","l":"99.0","v":"1.5","n":12},
         {"t":1770336300000,"T":1770336599999,"s":"BTC","i":"5m","o":"101.0","c":"101.5","h":"101.5","l":"100.5","v":"0.5","n":3}]
        """#
        let events = try request.normalize(pages: [Array(body.utf8)], observedMs: Self.midnight + Self.fiveMinutes + 1)
        let candles = try #require(events.first?.event as? HyperliquidCandles)
        #expect(events.count == 1 && candles.candles.map(\.openMs) == [Self.midnight], "the candle closing at 00:10 is still open at 00:05")
        request.closedBeforeMs = Self.midnight + 1
        #expect(try request.normalize(pages: [Array(body.utf8)], observedMs: Self.midnight + 1).isEmpty, "no closed candle, no event")
    }
}
