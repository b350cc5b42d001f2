import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP request, as the market clients, the model engine and the S3 artifact store send it.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var body: [UInt8]?

    public init(method: String, url: URL, headers: [String: String] = [:], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends requests: the real one over libcurl (URLSession), or a recorded double in tests.
public protocol HTTPTransport: Sendable {
    /// Sends one request; throws on a transport failure (no response, timeout, cut connection).
    func send(_ request: HTTPRequest, timeoutSeconds: Double) throws -> HTTPResponse
}

/// What went wrong on the wire.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    /// The request got no complete answer within its time.
    public var isTimeout: Bool

    public init(reason: String, isTimeout: Bool = false) {
        self.reason = reason
        self.isTimeout = isTimeout
    }

    public var description: String { reason }
}

/// The real transport: URLSession from FoundationNetworking, which runs on libcurl on Linux.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    private let session: URLSession

    /// `connectionsPerHost`: the connections to one host at most.
    public init(connectionsPerHost: Int = 6) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpMaximumConnectionsPerHost = connectionsPerHost
        session = URLSession(configuration: configuration)
    }

    public func send(_ request: HTTPRequest, timeoutSeconds: Double) throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url, timeoutInterval: timeoutSeconds)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if let body = request.body { urlRequest.httpBody = Data(body) }
        let done = DispatchSemaphore(value: 0)
        let outcome = Box<Result<HTTPResponse, TransportError>>(.failure(TransportError(reason: "no answer")))
        let task = session.dataTask(with: urlRequest) { data, response, error in
            if let error {
                let timedOut = (error as? URLError)?.code == .timedOut
                outcome.value = .failure(TransportError(reason: timedOut ? "no answer within \(timeoutSeconds) s" : error.localizedDescription,
                                                        isTimeout: timedOut))
            } else if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (name, value) in http.allHeaderFields { headers[String(describing: name).lowercased()] = String(describing: value) }
                outcome.value = .success(HTTPResponse(status: http.statusCode, headers: headers, body: Array(data ?? Data())))
            }
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeoutSeconds + 1) == .timedOut {
            task.cancel()
            throw TransportError(reason: "no answer within \(timeoutSeconds) s", isTimeout: true)
        }
        return try outcome.value.get()
    }
}

private final class Box<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
