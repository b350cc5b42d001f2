import EventSchemas
import ClashTesting
import Foundation
import LedgerLog
import Market
import Testing

@Suite("Market HTTP client against a local server", .timeLimit(.minutes(5)))
struct MarketClientTests {
    static let mids = #"{"BTC":"113079.5","ETH":"4321.05"}"#

    func client(_ server: ScriptedHTTPServer, attempts: Int = 3, timeout: Double = 2) -> MarketClient {
        MarketClient(source: "hyperliquid", policy: ClientPolicy(baseURL: server.baseURL, timeoutSeconds: timeout, attempts: attempts,
                                                                   backoffMilliseconds: 20, minimumIntervalMilliseconds: 5))
    }

    func fetchMids(_ client: MarketClient, _ server: ScriptedHTTPServer) throws -> [NormalizedEvent] {
        let body = try client.fetch(HyperliquidInfo.request(.allMids, baseURL: server.baseURL, body: HyperliquidInfo.body(.allMids)), kind: "allMids")
        return try HyperliquidNormalizer.normalize(.allMids, body: body)
    }

    @Test("a 200 answer is fetched and normalized")
    func success() throws {
        let server = try ScriptedHTTPServer([.respond(status: 200, body: Self.mids)])
        defer { server.stop() }
        #expect(try fetchMids(client(server), server).count == 1)
    }

    @Test("429 and 500 are retried with backoff, then the answer is used")
    func retries() throws {
        let server = try ScriptedHTTPServer([.respond(status: 429, headers: ["Retry-After": "0"], body: "slow down"),
                                         .respond(status: 503, body: "busy"), .respond(status: 200, body: Self.mids)])
        defer { server.stop() }
        #expect(try fetchMids(client(server), server).count == 1)
        #expect(server.served == 3)
    }

    @Test("a persistent 500 gives up after the attempts with a clear error")
    func givesUp() throws {
        let server = try ScriptedHTTPServer(Array(repeating: .respond(status: 500, body: "down"), count: 3))
        defer { server.stop() }
        do {
            _ = try fetchMids(client(server), server)
            Issue.record("expected an error")
        } catch let error as IngestError {
            #expect(error.description.contains("gave up after 3 attempts"))
            #expect(error.description.contains("HTTP 500"))
        }
    }

    @Test("a 404 is not retried")
    func clientErrorNotRetried() throws {
        let server = try ScriptedHTTPServer([.respond(status: 404, body: "no such thing"), .respond(status: 200, body: Self.mids)])
        defer { server.stop() }
        #expect(throws: IngestError.self) { try fetchMids(client(server), server) }
        #expect(server.served == 1)
    }

    @Test("a timeout is retried, then reported")
    func timeout() throws {
        let server = try ScriptedHTTPServer([.silence(seconds: 1.5), .silence(seconds: 1.5)])
        defer { server.stop() }
        #expect(throws: IngestError.self) { try fetchMids(client(server, attempts: 2, timeout: 0.5), server) }
    }

    @Test("a truncated body or the wrong content is an error, never events")
    func truncatedAndWrongContent() throws {
        let server = try ScriptedHTTPServer([.truncate(body: #"{"BTC":"11"#, promised: 200), .truncate(body: #"{"BTC":"11"#, promised: 200),
                                         .respond(status: 200, body: "<html>maintenance</html>")])
        defer { server.stop() }
        #expect(throws: (any Error).self) { try fetchMids(client(server, attempts: 2), server) }
        #expect(throws: IngestError.self) { try fetchMids(client(server, attempts: 1), server) }
    }
}

@Suite("Poller against a local server", .timeLimit(.minutes(5)))
struct PollerTests {
    /// Hyperliquid at the scripted server, each request tried once.
    static func hyperliquid(_ server: ScriptedHTTPServer) throws -> MarketSources {
        var urls = MarketSources.BaseURLs()
        urls.hyperliquid = server.baseURL.absoluteString
        return try MarketSources(urls: urls, policy: ClientPolicy(baseURL: server.baseURL, timeoutSeconds: 2, attempts: 1, minimumIntervalMilliseconds: 1))
    }

    @Test("each request is polled every round; a repeated answer writes nothing new, a bad one is reported and writes nothing")
    func rounds() throws {
        let book = #"{"coin":"BTC","time":1,"levels":[[{"px":"100.0","sz":"1","n":1}],[{"px":"100.1","sz":"1","n":1}]]}"#
        let server = try ScriptedHTTPServer([
            .respond(status: 200, body: MarketClientTests.mids), .respond(status: 200, body: book),
            .respond(status: 200, body: MarketClientTests.mids), .truncate(body: #"{"coin":"BTC","lev"#, promised: 300),
        ])
        defer { server.stop() }
        let sources = try Self.hyperliquid(server)
        var mids = try IngestRequest(source: .hyperliquid, kind: "allMids")
        mids.dex = ""
        var l2 = try IngestRequest(source: .hyperliquid, kind: "l2Book")
        l2.symbol = "BTC"
        let log = MemoryLog()
        var clock: Int64 = 1_000
        let poller = Poller(jobs: [PollJob(request: mids, everySeconds: 1), PollJob(request: l2, everySeconds: 1)], sources: sources, log: log,
                            now: { clock += 1; return clock })
        var outcomes: [String] = []
        let totals = try poller.run(rounds: 2, shouldStop: { false }) { outcome in
            switch outcome {
            case let .appended(request, _, result, _): outcomes.append("\(request.kind) \(result.written)")
            case let .failed(request, error, _, _): outcomes.append("\(request.kind) failed at \(error.field.isEmpty ? "response" : error.field)")
            }
        }
        #expect(outcomes == ["allMids true", "l2Book true", "allMids false", "l2Book failed at response"])
        #expect(totals.appends == 3 && totals.failures == 1)
        #expect(try log.head.sequence == 2)
        #expect(server.served == 4)
    }

    @Test("a request refused again and again is tried less often: after three failures in a row the wait doubles, up to 64 cadences; a success resets it")
    func backOff() throws {
        #expect((1...9).map { Poller.retryDelaySeconds(everySeconds: 60, inARow: $0) } == [60, 60, 120, 240, 480, 960, 1_920, 3_840, 3_840])
        let refused = #"{"error":"unknown request type perpCategories"}"#
        let server = try ScriptedHTTPServer([.respond(status: 400, body: refused), .respond(status: 400, body: refused),
                                             .respond(status: 400, body: refused), .respond(status: 200, body: MarketClientTests.mids)])
        defer { server.stop() }
        let sources = try Self.hyperliquid(server)
        var mids = try IngestRequest(source: .hyperliquid, kind: "allMids")
        mids.dex = ""
        let poller = Poller(jobs: [PollJob(request: mids, everySeconds: 1)], sources: sources, log: MemoryLog(), now: { 1_000 })
        var outcomes: [String] = []
        try poller.run(rounds: 4, shouldStop: { false }) { outcome in
            switch outcome {
            case let .appended(_, _, _, afterFailures): outcomes.append("appended after \(afterFailures)")
            case let .failed(_, _, inARow, retry): outcomes.append("failed \(inARow), next in \(retry) s")
            }
        }
        #expect(outcomes == ["failed 1, next in 1 s", "failed 2, next in 1 s", "failed 3, next in 2 s", "appended after 3"])
    }

    @Test("metaAndAssetCtxs polled again logs its contexts each time but the universe only when it changed (a listing), for the poller and for a later process alike")
    func universeOnlyWhenChanged() throws {
        let first = HyperliquidNormalizerTests.metaAndContexts
        let moved = first.replacingOccurrences(of: #""markPx":"113080.0""#, with: #""markPx":"113090.0""#)
        let listed = moved.replacingOccurrences(of: #"{"szDecimals":1,"name":"MATIC","maxLeverage":20,"isDelisted":true,"newField":7}"#,
                                                with: #"{"szDecimals":1,"name":"MATIC","maxLeverage":10,"isDelisted":true,"newField":7}"#)
        #expect(listed != moved && moved != first)
        let server = try ScriptedHTTPServer([.respond(status: 200, body: first), .respond(status: 200, body: moved), .respond(status: 200, body: listed)])
        defer { server.stop() }
        let sources = try Self.hyperliquid(server)
        var request = try IngestRequest(source: .hyperliquid, kind: "metaAndAssetCtxs")
        request.dex = ""
        let log = MemoryLog()
        var clock: Int64 = 1_000
        let poller = Poller(jobs: [], sources: sources, log: log, now: { clock += 1; return clock })
        _ = try poller.poll(request)
        _ = try poller.poll(request)
        var types = try log.read().map(\.type)
        #expect(types == [HyperliquidUniverse.type, HyperliquidAssetContexts.type, HyperliquidAssetContexts.type], "\(types)")
        // A new poller (a restarted process) reads the newest universe from the log.
        let restarted = Poller(jobs: [], sources: sources, log: log, now: { clock += 1; return clock })
        _ = try restarted.poll(request)
        types = try log.read().map(\.type)
        #expect(types.filter { $0 == HyperliquidUniverse.type }.count == 2, "the changed maximum leverage is logged: \(types)")
        #expect(types.filter { $0 == HyperliquidAssetContexts.type }.count == 3)
    }
}
