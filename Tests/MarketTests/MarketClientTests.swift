import Foundation
import LedgerLog
import Market
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP server on 127.0.0.1 that answers each connection with the next scripted reply.
final class ScriptedServer: @unchecked Sendable {
    enum Reply {
        case respond(status: Int, headers: [String: String] = [:], body: String)
        /// Sends headers promising more body than it sends, then closes.
        case truncate(body: String, promised: Int)
        /// Says nothing for this long, then closes.
        case silence(seconds: Double)
    }

    let port: UInt16
    private let socketDescriptor: Int32
    private let lock = NSLock()
    private var replies: [Reply]
    private(set) var served = 0

    init(_ replies: [Reply]) throws {
        self.replies = replies
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        socketDescriptor = descriptor
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        precondition(bound == 0 && listen(descriptor, 16) == 0, "cannot listen on 127.0.0.1")
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        port = UInt16(bigEndian: address.sin_port)
        Thread { [self] in serve() }.start()
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    func stop() { shutdown(socketDescriptor, Int32(SHUT_RDWR)); close(socketDescriptor) }

    private func serve() {
        while true {
            let client = accept(socketDescriptor, nil, nil)
            guard client >= 0 else { return }
            readRequest(client)
            lock.lock()
            let reply = replies.isEmpty ? Reply.respond(status: 500, body: "script exhausted") : replies.removeFirst()
            served += 1
            lock.unlock()
            switch reply {
            case let .respond(status, headers, body):
                var head = "HTTP/1.1 \(status) X\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                send(client, head + "\r\n" + body)
            case let .truncate(body, promised):
                send(client, "HTTP/1.1 200 OK\r\nContent-Length: \(promised)\r\nConnection: close\r\n\r\n" + body)
            case let .silence(seconds):
                Thread.sleep(forTimeInterval: seconds)
            }
            close(client)
        }
    }

    /// Reads the whole request (headers and the body its Content-Length announces) before
    /// answering: a reply sent while request bytes are still arriving, and the close after it, can
    /// reset the connection under a busy machine, which the client would see as a transport error.
    private func readRequest(_ client: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while received.count < 1 << 20 {
            let count = recv(client, &chunk, chunk.count, 0)
            guard count > 0 else { return }
            received += chunk[..<count]
            let text = String(decoding: received, as: UTF8.self)
            guard let headerEnd = text.range(of: "\r\n\r\n") else { continue }
            let head = text[..<headerEnd.lowerBound].lowercased()
            let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            if received.count >= text.utf8.distance(from: text.startIndex, to: headerEnd.upperBound) + length { return }
        }
    }

    private func send(_ client: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}

@Suite("Market HTTP client against a local server")
struct MarketClientTests {
    static let mids = #"{"BTC":"113079.5","ETH":"4321.05"}"#

    func client(_ server: ScriptedServer, attempts: Int = 3, timeout: Double = 2) -> MarketClient {
        MarketClient(source: "hyperliquid", policy: ClientPolicy(baseURL: server.baseURL, timeoutSeconds: timeout, attempts: attempts,
                                                                   backoffMilliseconds: 20, minimumIntervalMilliseconds: 5))
    }

    func fetchMids(_ client: MarketClient, _ server: ScriptedServer) throws -> [NormalizedEvent] {
        let body = try client.fetch(HyperliquidInfo.request(.allMids, baseURL: server.baseURL, body: HyperliquidInfo.body(.allMids)), kind: "allMids")
        return try HyperliquidNormalizer.normalize(.allMids, body: body)
    }

    @Test("a 200 answer is fetched and normalized")
    func success() throws {
        let server = try ScriptedServer([.respond(status: 200, body: Self.mids)])
        defer { server.stop() }
        #expect(try fetchMids(client(server), server).count == 1)
    }

    @Test("429 and 500 are retried with backoff, then the answer is used")
    func retries() throws {
        let server = try ScriptedServer([.respond(status: 429, headers: ["Retry-After": "0"], body: "slow down"),
                                         .respond(status: 503, body: "busy"), .respond(status: 200, body: Self.mids)])
        defer { server.stop() }
        #expect(try fetchMids(client(server), server).count == 1)
        #expect(server.served == 3)
    }

    @Test("a persistent 500 gives up after the attempts with a clear error")
    func givesUp() throws {
        let server = try ScriptedServer(Array(repeating: .respond(status: 500, body: "down"), count: 3))
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
        let server = try ScriptedServer([.respond(status: 404, body: "no such thing"), .respond(status: 200, body: Self.mids)])
        defer { server.stop() }
        #expect(throws: IngestError.self) { try fetchMids(client(server), server) }
        #expect(server.served == 1)
    }

    @Test("a timeout is retried, then reported")
    func timeout() throws {
        let server = try ScriptedServer([.silence(seconds: 1.5), .silence(seconds: 1.5)])
        defer { server.stop() }
        #expect(throws: IngestError.self) { try fetchMids(client(server, attempts: 2, timeout: 0.5), server) }
    }

    @Test("a truncated body or the wrong content is an error, never events")
    func truncatedAndWrongContent() throws {
        let server = try ScriptedServer([.truncate(body: #"{"BTC":"11"#, promised: 200), .truncate(body: #"{"BTC":"11"#, promised: 200),
                                         .respond(status: 200, body: "<html>maintenance</html>")])
        defer { server.stop() }
        #expect(throws: (any Error).self) { try fetchMids(client(server, attempts: 2), server) }
        #expect(throws: IngestError.self) { try fetchMids(client(server, attempts: 1), server) }
    }
}

@Suite("Poller against a local server")
struct PollerTests {
    @Test("each request is polled every round; a repeated answer writes nothing new, a bad one is reported and writes nothing")
    func rounds() throws {
        let book = #"{"coin":"BTC","time":1,"levels":[[{"px":"100.0","sz":"1","n":1}],[{"px":"100.1","sz":"1","n":1}]]}"#
        let server = try ScriptedServer([
            .respond(status: 200, body: MarketClientTests.mids), .respond(status: 200, body: book),
            .respond(status: 200, body: MarketClientTests.mids), .truncate(body: #"{"coin":"BTC","lev"#, promised: 300),
        ])
        defer { server.stop() }
        var urls = MarketSources.BaseURLs()
        urls.hyperliquid = server.baseURL.absoluteString
        let sources = try MarketSources(urls: urls, policy: ClientPolicy(baseURL: server.baseURL, timeoutSeconds: 2, attempts: 1,
                                                                        minimumIntervalMilliseconds: 1))
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
            case let .appended(request, _, result): outcomes.append("\(request.kind) \(result.written)")
            case let .failed(request, error): outcomes.append("\(request.kind) failed at \(error.field.isEmpty ? "response" : error.field)")
            }
        }
        #expect(outcomes == ["allMids true", "l2Book true", "allMids false", "l2Book failed at response"])
        #expect(totals.appends == 3 && totals.failures == 1)
        #expect(try log.head.sequence == 2)
        #expect(server.served == 4)
    }
}
