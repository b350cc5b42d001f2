import Domain
import EventSchemas
import Foundation
import LedgerLog
import Transport

/// Asks an OpenAI-compatible chat-completions endpoint: the assembled prompt (system text, the
/// strategy, the packet, the answer schema), with the answer schema as `response_format`
/// json_schema. Each run has a deadline; a 429, a 5xx or a failed connection is retried with
/// backoff inside it; at most `concurrency` requests are in flight. A timeout, a non-2xx, an
/// unparseable answer or one that breaks the schema is a hold, recorded with its cause.
///
/// Every exchange (the request's bytes, each attempt's status, latency and bytes) is stored in the
/// artifact store as a `ModelExchange`, its hash in the decision event, and the decision is derived
/// from that record alone: a replay reads the record and never calls the model again.
public final class ModelEngine: DecisionEngine, @unchecked Sendable {
    public struct Settings: Sendable {
        /// The API base, e.g. https://api.openai.com/v1: requests go to `<base>/chat/completions`.
        public var baseURL: URL
        public var model: String
        /// Sent as `Authorization: Bearer …` (never recorded).
        public var apiKey: String?
        /// Time a run may spend on the model, retries included.
        public var deadlineSeconds: Double
        /// Attempts per run at most (the first and its retries).
        public var attemptsMax: Int
        /// The first retry's wait; each further retry waits twice as long (a `Retry-After` that fits
        /// in the deadline is honoured instead).
        public var backoffSeconds: Double
        /// Requests in flight at most, over every run sharing this engine.
        public var concurrency: Int

        public init(baseURL: URL, model: String, apiKey: String? = nil, deadlineSeconds: Double = 30, attemptsMax: Int = 4,
                    backoffSeconds: Double = 0.5, concurrency: Int = 4) {
            self.baseURL = baseURL
            self.model = model
            self.apiKey = apiKey
            self.deadlineSeconds = deadlineSeconds
            self.attemptsMax = max(1, attemptsMax)
            self.backoffSeconds = backoffSeconds
            self.concurrency = max(1, concurrency)
        }
    }

    /// The version of the request shape and of how an exchange becomes a decision.
    public static let version: Int64 = 1

    public let settings: Settings
    let transport: any HTTPTransport
    let artifacts: any ArtifactStore
    let slots: DispatchSemaphore

    public init(settings: Settings, artifacts: any ArtifactStore, transport: (any HTTPTransport)? = nil) {
        self.settings = settings
        self.artifacts = artifacts
        self.transport = transport ?? CurlTransport()
        slots = DispatchSemaphore(value: settings.concurrency)
    }

    public var name: String { "model" }
    public var version: Int64 { Self.version }
    public var callsOut: Bool { true }
    public var readsRecords: Bool { true }

    public func decide(_ input: EngineInput) throws -> EngineAnswer {
        let prompt = PromptAssembly.assemble(strategyPrompt: input.promptText, packet: input.packet)
        let promptHash = try artifacts.put(prompt.bytes)
        let exchange = call(requestBody: requestBody(prompt))
        let exchangeHash = try artifacts.put(exchange.bytes)
        return Self.answer(from: exchange, promptHash: promptHash, exchangeHash: exchangeHash)
    }

    /// The recorded exchange's answer, read from the artifact store: no call.
    public func replay(_ input: EngineInput, recorded: DecisionProposed) throws -> EngineAnswer {
        guard let exchangeHash = recorded.exchangeHash else {
            throw ArtifactError.missing(hash: "(none)", location: "run \(recorded.runId)'s decision, which records no model exchange")
        }
        let exchange = try ModelExchange.decode(try artifacts.get(exchangeHash), hash: exchangeHash)
        return Self.answer(from: exchange, promptHash: recorded.promptHash, exchangeHash: exchangeHash)
    }

    /// The decision an exchange stands for: its last attempt's answer, or a hold with its cause.
    public static func answer(from exchange: ModelExchange, promptHash: String?, exchangeHash: String) -> EngineAnswer {
        func hold(_ cause: String, _ reason: String) -> EngineAnswer {
            EngineAnswer(decision: .hold(reason), holdCause: cause, promptHash: promptHash, exchangeHash: exchangeHash)
        }
        guard let last = exchange.attempts.last else { return hold("timeout", "the model was not asked: no time was left") }
        if let error = last.error { return hold(last.timedOut ? "timeout" : "transport", "the model did not answer: \(error)") }
        guard (200..<300).contains(last.status) else { return hold("http_status", "the model answered HTTP \(last.status)") }
        guard let content = messageContent(last.body) else {
            return hold("unparseable", "the model's response holds no choices[0].message.content")
        }
        do {
            return EngineAnswer(decision: try Decision.parse(Array(content.utf8)), promptHash: promptHash, exchangeHash: exchangeHash)
        } catch {
            let cause = (try? JSONValue.parse(Array(content.utf8), allowingDecimals: true)) == nil ? "unparseable" : "schema"
            return hold(cause, "the model's answer was refused: \(error)")
        }
    }

    /// `choices[0].message.content` of a chat-completions response.
    static func messageContent(_ body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let choices = object["choices"] as? [[String: Any]], let message = choices.first?["message"] as? [String: Any] else { return nil }
        return message["content"] as? String
    }

    /// The chat-completions request: the system text, the rest of the prompt as the user's message,
    /// the answer schema as a strict json_schema response format, temperature 0.
    func requestBody(_ prompt: PromptAssembly.Prompt) -> [UInt8] {
        let body: [String: Any] = [
            "model": settings.model,
            "temperature": 0,
            "messages": [
                ["role": "system", "content": PromptAssembly.systemText],
                ["role": "user", "content": prompt.userText],
            ],
            "response_format": ["type": "json_schema", "json_schema": ["name": "decision_answer", "strict": true, "schema": Self.wireSchema]],
        ]
        return Array((try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
    }

    /// The answer schema as the endpoint takes it: without the keywords that only document it.
    nonisolated(unsafe) static let wireSchema: [String: Any] = {
        var schema = (try? JSONSerialization.jsonObject(with: Data(DocumentSchemas.decisionAnswer)) as? [String: Any]) ?? [:]
        for keyword in ["$schema", "$id", "examples", "title"] { schema[keyword] = nil }
        return schema
    }()

    /// Sends the request until an answer stands, the attempts run out or the deadline passes.
    func call(requestBody: [UInt8]) -> ModelExchange {
        let url = settings.baseURL.appendingPathComponent("chat/completions")
        var headers = ["Content-Type": "application/json"]
        if let key = settings.apiKey { headers["Authorization"] = "Bearer \(key)" }
        let request = HTTPRequest(method: "POST", url: url, headers: headers, body: requestBody)
        var exchange = ModelExchange(url: url.absoluteString, model: settings.model, request: requestBody, attempts: [])
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(settings.deadlineSeconds * 1e9)
        func remaining() -> Double { Double(Int64(deadline) - Int64(DispatchTime.now().uptimeNanoseconds)) / 1e9 }
        var wait = settings.backoffSeconds
        while exchange.attempts.count < settings.attemptsMax, remaining() > 0.001 {
            slots.wait()
            let started = DispatchTime.now().uptimeNanoseconds
            let outcome = Result { try transport.send(request, timeoutSeconds: remaining()) }
            slots.signal()
            let latency = Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
            var retryAfter: Double?
            switch outcome {
            case .success(let response):
                exchange.attempts.append(.init(status: response.status, latencyMs: latency, body: response.body))
                guard response.status == 429 || (500..<600).contains(response.status) else { return exchange }
                retryAfter = response.headers["retry-after"].flatMap(Double.init)
            case .failure(let error):
                let transportError = error as? TransportError
                exchange.attempts.append(.init(status: 0, latencyMs: latency, body: [], error: "\(error)",
                                               timedOut: transportError?.isTimeout ?? false || remaining() <= 0.001))
                if transportError?.isTimeout == true { return exchange }
            }
            let pause = retryAfter ?? wait
            guard exchange.attempts.count < settings.attemptsMax, pause < remaining() else { return exchange }
            Thread.sleep(forTimeInterval: pause)
            wait *= 2
        }
        if exchange.attempts.isEmpty {
            exchange.attempts.append(.init(status: 0, latencyMs: 0, body: [], error: "the deadline of \(settings.deadlineSeconds) s passed",
                                           timedOut: true))
        }
        return exchange
    }
}

/// One model exchange as recorded in the artifact store: where it went, the request's bytes, and
/// every attempt (status, latency, the response's bytes or the transport's error). Never the key.
public struct ModelExchange: Sendable, Equatable {
    public struct Attempt: Sendable, Equatable {
        /// The HTTP status; 0 when no response came.
        public var status: Int
        public var latencyMs: Int64
        public var body: [UInt8]
        public var error: String?
        public var timedOut: Bool = false
    }

    public static let format = "clash.model_exchange.v1"
    public var url: String
    public var model: String
    public var request: [UInt8]
    public var attempts: [Attempt]

    /// Canonical JSON; bodies as text when they are UTF-8, else base64 (`body_base64`).
    public var bytes: [UInt8] {
        var writer = CanonicalJSONWriter()
        writer.beginObject()
        writer.key("attempts")
        writer.beginArray()
        for attempt in attempts {
            writer.beginObject()
            Self.writeBody(attempt.body, into: &writer)
            if let error = attempt.error { writer.key("error"); writer.string(error) }
            writer.key("latency_ms"); writer.int(attempt.latencyMs)
            writer.key("status"); writer.int(attempt.status)
            writer.key("timed_out"); writer.bool(attempt.timedOut)
            writer.endObject()
        }
        writer.endArray()
        writer.key("format"); writer.string(Self.format)
        writer.key("model"); writer.string(model)
        writer.key("request")
        writer.beginObject()
        Self.writeBody(request, into: &writer)
        writer.endObject()
        writer.key("url"); writer.string(url)
        writer.endObject()
        return writer.bytes
    }

    static func writeBody(_ body: [UInt8], into writer: inout CanonicalJSONWriter) {
        if let text = String(validating: body, as: UTF8.self) {
            writer.key("body"); writer.string(text)
        } else {
            writer.key("body_base64"); writer.string(Data(body).base64EncodedString())
        }
    }

    /// Reads a recorded exchange; `hash` names it in errors.
    public static func decode(_ bytes: [UInt8], hash: String) throws -> ModelExchange {
        func bad(_ reason: String) -> ArtifactError { .corrupt(hash: hash, location: "the model exchange", reason: reason) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { throw bad("not a JSON object") }
        guard object["format"] as? String == format else { throw bad("format is not \(format)") }
        func body(_ container: [String: Any]) throws -> [UInt8] {
            if let text = container["body"] as? String { return Array(text.utf8) }
            if let encoded = container["body_base64"] as? String, let data = Data(base64Encoded: encoded) { return Array(data) }
            throw bad("a body is missing")
        }
        guard let request = object["request"] as? [String: Any], let rawAttempts = object["attempts"] as? [[String: Any]] else {
            throw bad("request or attempts missing")
        }
        let attempts = try rawAttempts.map { attempt in
            guard let status = attempt["status"] as? Int, let latency = attempt["latency_ms"] as? Int else { throw bad("an attempt lacks its status") }
            return Attempt(status: status, latencyMs: Int64(latency), body: try body(attempt), error: attempt["error"] as? String,
                           timedOut: attempt["timed_out"] as? Bool ?? false)
        }
        return ModelExchange(url: object["url"] as? String ?? "", model: object["model"] as? String ?? "", request: try body(request),
                             attempts: attempts)
    }
}
