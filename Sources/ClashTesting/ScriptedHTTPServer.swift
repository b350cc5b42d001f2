import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 answering each connection with the next scripted reply:
/// a stand-in for a market API, a model's endpoint or anything else a test must not reach over
/// the network. Each connection is served on its own thread; the requests are kept, and the most
/// answered at once is counted.
public final class ScriptedHTTPServer: @unchecked Sendable {
    public enum Reply: Sendable {
        /// Answers after `delay` seconds.
        case respond(status: Int, headers: [String: String] = [:], body: String, delay: Double = 0)
        /// Sends headers promising more body than it sends, then closes.
        case truncate(body: String, promised: Int)
        /// Says nothing for this long, then closes.
        case silence(seconds: Double)
    }

    /// A request as received.
    public struct Request: Sendable {
        public var head: String
        public var body: [UInt8]

        /// The value of header `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            for line in head.split(separator: "\r\n").dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == name.lowercased() { return parts[1].trimmingCharacters(in: .whitespaces) }
            }
            return nil
        }

        /// The request line's path.
        public var path: String { head.split(separator: " ").dropFirst().first.map(String.init) ?? "" }
    }

    public let port: UInt16
    private let socketDescriptor: Int32
    private let lock = NSLock()
    private var replies: [Reply]
    private let fallback: Reply
    /// Answers every request when set (a stand-in whose replies depend on the request).
    private let handler: (@Sendable (Request) -> Reply)?
    private var received: [Request] = []
    private var inFlight = 0
    private var inFlightMax = 0

    /// `fallback` answers once the script is exhausted.
    public convenience init(_ replies: [Reply], fallback: Reply = .respond(status: 500, body: "script exhausted")) throws {
        try self.init(replies: replies, fallback: fallback, handler: nil, listenPort: 0)
    }

    /// A server answering each request with what `handler` makes of it, on `port` (0: any free one).
    public convenience init(port: UInt16 = 0, handler: @escaping @Sendable (Request) -> Reply) throws {
        try self.init(replies: [], fallback: .respond(status: 500, body: "no reply"), handler: handler, listenPort: port)
    }

    private init(replies: [Reply], fallback: Reply, handler: (@Sendable (Request) -> Reply)?, listenPort: UInt16) throws {
        self.replies = replies
        self.fallback = fallback
        self.handler = handler
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        socketDescriptor = descriptor
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = listenPort.bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        guard bound == 0, listen(descriptor, 64) == 0 else {
            close(descriptor)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        port = UInt16(bigEndian: address.sin_port)
        Thread { [self] in serve() }.start()
    }

    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Stops listening: later connections are refused.
    public func stop() { shutdown(socketDescriptor, Int32(SHUT_RDWR)); close(socketDescriptor) }

    /// The requests answered so far, in the order they arrived.
    public var requests: [Request] { lock.withLock { received } }
    public var served: Int { lock.withLock { received.count } }
    /// The most requests answered at the same time.
    public var concurrencyMax: Int { lock.withLock { inFlightMax } }

    private func serve() {
        while true {
            let client = accept(socketDescriptor, nil, nil)
            guard client >= 0 else { return }
            Thread { [self] in answer(client) }.start()
        }
    }

    private func answer(_ client: Int32) {
        defer { close(client) }
        guard let request = readRequest(client) else { return }
        let reply: Reply = lock.withLock { () -> Reply? in
            received.append(request)
            inFlight += 1
            inFlightMax = max(inFlightMax, inFlight)
            if handler != nil { return nil }
            return replies.isEmpty ? fallback : replies.removeFirst()
        } ?? handler!(request)
        // A request stops counting as in flight once its reply is ready, before it is sent: the
        // client may send its next request as soon as it has the reply, before this thread runs on.
        var counted = true
        func done() { if counted { lock.withLock { inFlight -= 1 }; counted = false } }
        defer { done() }
        switch reply {
        case let .respond(status, headers, body, delay):
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            done()
            var head = "HTTP/1.1 \(status) X\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            send(client, head + "\r\n" + body)
        case let .truncate(body, promised):
            send(client, "HTTP/1.1 200 OK\r\nContent-Length: \(promised)\r\nConnection: close\r\n\r\n" + body)
        case let .silence(seconds):
            Thread.sleep(forTimeInterval: seconds)
        }
    }

    /// Reads the whole request (headers and the body its Content-Length announces) before
    /// answering: a reply sent while request bytes are still arriving, and the close after it, can
    /// reset the connection under a busy machine, which the client would see as a transport error.
    private func readRequest(_ client: Int32) -> Request? {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count < 1 << 24 {
            let count = recv(client, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            bytes += chunk[..<count]
            guard let end = Self.headerEnd(bytes) else { continue }
            let head = String(decoding: bytes[..<end], as: UTF8.self)
            let length = Request(head: head, body: []).header("content-length").flatMap { Int($0) } ?? 0
            if bytes.count >= end + 4 + length { return Request(head: head, body: Array(bytes[(end + 4)..<(end + 4 + length)])) }
        }
        return nil
    }

    private static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    private func send(_ client: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
