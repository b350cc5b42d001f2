import Foundation

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

/// Sends requests: `CurlTransport` over libcurl, or a test's own.
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
