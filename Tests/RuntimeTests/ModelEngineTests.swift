import Clash
import ClashTesting
import Foundation
import Testing

/// The model engine against a stand-in OpenAI-compatible endpoint on 127.0.0.1.
@Suite("the model engine", .timeLimit(.minutes(5)))
struct ModelEngineTests {
    static let at = TradingRunTests.from

    /// A chat-completions response whose message content is `content`.
    static func completion(_ content: String) -> String {
        let escaped = String(data: try! JSONSerialization.data(withJSONObject: [content], options: [.withoutEscapingSlashes]), encoding: .utf8)!
        return #"{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"#
            + escaped.dropFirst().dropLast() + #"},"finish_reason":"stop"}]}"#
    }

    static let long = #"{"action":"open_long","size_usd":"1500.5","leverage":2,"stop_loss":null,"take_profit":null,"confidence":0.7,"reason":"trend"}"#

    static func engine(_ server: ScriptedHTTPServer, _ ledger: Ledger, deadline: Double = 5, attempts: Int = 3,
                       concurrency: Int = 2) -> ModelEngine {
        ModelEngine(settings: .init(baseURL: server.baseURL.appendingPathComponent("v1"), model: "stand-in", apiKey: "sk-test-key",
                                    deadlineSeconds: deadline, attemptsMax: attempts, backoffSeconds: 0.05, concurrency: concurrency),
                    artifacts: ledger.artifacts)
    }

    /// One run of the clone on BTC at `at`; the decision the log holds for it.
    static func decideOnce(_ ledger: Ledger, _ graph: StrategyGraph, _ engine: ModelEngine) throws -> DecisionProposed {
        _ = try TradingRun(log: ledger.log, artifacts: ledger.artifacts, graph: graph, engine: engine,
                           settings: .init(cloneId: "c-1", competitionId: "free", fromMs: at, toMs: at + 1, onlyAsset: "BTC")).run()
        let record = try #require(try ledger.log.read(stream: "run.c-1.free").last { $0.type == DecisionProposed.type })
        return try EventCatalog.decode(record, as: DecisionProposed.self)
    }

    @Test("a good answer becomes the decision; the request carries the prompt, the schema and the key; the exchange is recorded without the key")
    func goodAnswer() throws {
        let (ledger, graph) = try TradingRunTests.setUp()
        let server = try ScriptedHTTPServer([.respond(status: 200, body: Self.completion(Self.long))])
        defer { server.stop() }
        let decision = try Self.decideOnce(ledger, graph, Self.engine(server, ledger))
        #expect(decision.engine == "model" && decision.action == "open_long" && decision.sizeUsdE6 == 1_500_500_000)
        #expect(decision.leverage == 2 && decision.confidenceBp == 7_000 && decision.holdCause == nil)
        let request = try #require(server.requests.first)
        #expect(request.path == "/v1/chat/completions")
        #expect(request.header("authorization") == "Bearer sk-test-key")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(body["model"] as? String == "stand-in")
        let format = try #require(body["response_format"] as? [String: Any])
        #expect(format["type"] as? String == "json_schema")
        let schema = try #require((format["json_schema"] as? [String: Any])?["schema"] as? [String: Any])
        #expect((schema["required"] as? [String])?.contains("size_usd") == true)
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(messages.last?["content"]?.contains("\"symbol\":\"BTC\"") == true, "the user's message carries the packet")
        // The prompt and the exchange are artifacts named in the event.
        let prompt = try ledger.artifacts.get(try #require(decision.promptHash))
        #expect(String(decoding: prompt, as: UTF8.self).contains("# Context packet"))
        let exchangeBytes = try ledger.artifacts.get(try #require(decision.exchangeHash))
        #expect(!String(decoding: exchangeBytes, as: UTF8.self).contains("sk-test-key"), "the key is never recorded")
        let exchange = try ModelExchange.decode(exchangeBytes, hash: decision.exchangeHash!)
        #expect(exchange.request == request.body && exchange.attempts.map(\.status) == [200])
    }

    @Test("bad JSON, an answer breaking the schema, a 500 every time and a timeout are holds with their cause")
    func failuresHold() throws {
        let cases: [(ScriptedHTTPServer.Reply, String)] = [
            (.respond(status: 200, body: Self.completion("I would buy some BTC")), "unparseable"),
            (.respond(status: 200, body: "<html>gateway</html>"), "unparseable"),
            (.respond(status: 200, body: Self.completion(#"{"action":"buy","size_usd":"1","leverage":1,"stop_loss":null,"take_profit":null,"confidence":0.5,"reason":""}"#)), "schema"),
            (.respond(status: 200, body: Self.completion(#"{"action":"open_long","size_usd":1000,"leverage":1,"stop_loss":null,"take_profit":null,"confidence":0.5,"reason":""}"#)), "schema"),
            (.respond(status: 500, body: "down"), "http_status"),
            (.respond(status: 401, body: "no key"), "http_status"),
            (.silence(seconds: 3), "timeout"),
        ]
        for (reply, cause) in cases {
            let (ledger, graph) = try TradingRunTests.setUp()
            let server = try ScriptedHTTPServer([reply], fallback: reply)
            defer { server.stop() }
            let decision = try Self.decideOnce(ledger, graph, Self.engine(server, ledger, deadline: 1.5))
            #expect(decision.action == "hold" && decision.holdCause == cause, "\(reply) → \(decision.holdCause ?? "nil"): \(decision.reason)")
            let exchange = try ModelExchange.decode(try ledger.artifacts.get(try #require(decision.exchangeHash)), hash: decision.exchangeHash!)
            #expect(!exchange.attempts.isEmpty)
            if case .respond(500, _, _, _) = reply { #expect(exchange.attempts.count == 3, "retried up to the attempts") }
            if case .respond(401, _, _, _) = reply { #expect(exchange.attempts.count == 1, "a 4xx other than 429 is not retried") }
        }
    }

    @Test("a 429 then a good answer: retried after backoff, the answer used, both attempts recorded")
    func retryThenSuccess() throws {
        let (ledger, graph) = try TradingRunTests.setUp()
        let server = try ScriptedHTTPServer([.respond(status: 429, headers: ["Retry-After": "0"], body: "slow down"),
                                             .respond(status: 200, body: Self.completion(Self.long))])
        defer { server.stop() }
        let decision = try Self.decideOnce(ledger, graph, Self.engine(server, ledger))
        #expect(decision.action == "open_long" && server.served == 2)
        let exchange = try ModelExchange.decode(try ledger.artifacts.get(decision.exchangeHash!), hash: decision.exchangeHash!)
        #expect(exchange.attempts.map(\.status) == [429, 200])
    }

    @Test("a replay with the model server stopped reads the recorded exchanges: the same decisions and account, nothing written, no call")
    func replayWithoutTheModel() throws {
        let (ledger, graph) = try TradingRunTests.setUp()
        let short = #"{"action":"open_short","size_usd":"800","leverage":3,"stop_loss":null,"take_profit":null,"confidence":0.4,"reason":"fade"}"#
        let server = try ScriptedHTTPServer([], fallback: .respond(status: 200, body: Self.completion(short)))
        let settings = TradingRun.Settings(cloneId: "c-1", competitionId: "free", fromMs: Self.at, toMs: Self.at + 30 * 60_000)
        let live = try TradingRun(log: ledger.log, artifacts: ledger.artifacts, graph: graph, engine: Self.engine(server, ledger),
                                  settings: settings).run()
        let asked = server.served
        server.stop()
        #expect(asked == live.runs && live.fills > 0)
        let before = try TradingRunTests.lines(ledger, "run.c-1.free") + TradingRunTests.lines(ledger, "account.c-1.free")
        let replay = try TradingRun(log: ledger.log, artifacts: ledger.artifacts, graph: graph, engine: Self.engine(server, ledger, deadline: 0.5),
                                    settings: settings).run()
        #expect(replay.events == 0 && replay.runs == live.runs && replay.fills == live.fills && replay.account == live.account)
        #expect(server.served == asked, "the stopped server was not asked again")
        #expect(try TradingRunTests.lines(ledger, "run.c-1.free") + TradingRunTests.lines(ledger, "account.c-1.free") == before)
        // A missing exchange is a clear error naming its hash, not a silent new call.
        let (bare, _) = try TradingRunTests.setUp()
        for record in try ledger.log.read(stream: "run.c-1.free") + ledger.log.read(stream: "account.c-1.free") {
            try bare.log.append([EventDraft(id: record.id, type: record.type, schemaVersion: record.schemaVersion, stream: record.stream,
                                            timestampMs: record.timestampMs, correlationId: record.correlationId,
                                            causationId: record.causationId, payload: Array(record.payload))])
        }
        #expect(throws: ArtifactError.self) {
            _ = try TradingRun(log: bare.log, artifacts: bare.artifacts, graph: graph, engine: Self.engine(server, bare),
                               settings: settings).run()
        }
    }

    @Test("runs due together are asked concurrently, never more at once than the limit")
    func concurrencyLimit() throws {
        let (ledger, graph) = try TradingRunTests.setUp()
        let server = try ScriptedHTTPServer([], fallback: .respond(status: 200, body: Self.completion(Self.long), delay: 0.3))
        defer { server.stop() }
        let started = DispatchTime.now()
        let summary = try TradingRun(log: ledger.log, artifacts: ledger.artifacts, graph: graph, engine: Self.engine(server, ledger, concurrency: 3),
                                     settings: .init(cloneId: "c-1", competitionId: "free", fromMs: Self.at, toMs: Self.at + 1)).run()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        #expect(summary.runs == 7 && server.served == 7)
        #expect(server.concurrencyMax == 3, "at most 3 in flight, and 3 reached")
        #expect(seconds < 7 * 0.3, "asked concurrently, not one after another (\(seconds) s)")
    }
}
