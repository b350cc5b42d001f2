import Foundation
import Transport

/// How a client talks to one source: where, how long to wait, how often to retry, how fast to go.
public struct ClientPolicy: Sendable {
    public var baseURL: URL
    public var timeoutSeconds: Double
    /// Attempts in all, the first included.
    public var attempts: Int
    /// Backoff before retry n (from 1) is `backoffMilliseconds × 2^(n-1)`, or the server's Retry-After.
    public var backoffMilliseconds: Int
    /// At least this long between two requests to the source (its rate limit).
    public var minimumIntervalMilliseconds: Int

    public init(baseURL: URL, timeoutSeconds: Double = 10, attempts: Int = 4, backoffMilliseconds: Int = 250,
                minimumIntervalMilliseconds: Int = 100) {
        self.baseURL = baseURL
        self.timeoutSeconds = timeoutSeconds
        self.attempts = attempts
        self.backoffMilliseconds = backoffMilliseconds
        self.minimumIntervalMilliseconds = minimumIntervalMilliseconds
    }
}

/// Sends requests to one source with timeouts, retries with backoff on 429, 5xx and transport
/// failures, and a per-source rate limit. Other statuses are not retried.
public final class MarketClient: @unchecked Sendable {
    public let source: String
    public let policy: ClientPolicy
    private let transport: any HTTPTransport
    private let lock = NSLock()
    private var lastRequest: DispatchTime?

    public init(source: String, policy: ClientPolicy, transport: any HTTPTransport = CurlTransport()) {
        self.source = source
        self.policy = policy
        self.transport = transport
    }

    /// Sends `request` (named `kind` in errors) and returns the body of a 2xx answer.
    public func fetch(_ request: HTTPRequest, kind: String) throws(IngestError) -> [UInt8] {
        var lastProblem = ""
        for attempt in 1...max(1, policy.attempts) {
            waitForRateLimit()
            var retryAfterSeconds: Double?
            do {
                let response = try transport.send(request, timeoutSeconds: policy.timeoutSeconds)
                switch response.status {
                case 200..<300:
                    return response.body
                case 429, 500..<600:
                    lastProblem = "HTTP \(response.status)"
                    retryAfterSeconds = response.headers["retry-after"].flatMap(Double.init)
                default:
                    throw IngestError(source: source, request: kind, field: "",
                                      reason: "HTTP \(response.status) from \(request.url.absoluteString): \(String(decoding: response.body.prefix(200), as: UTF8.self))")
                }
            } catch let error as IngestError {
                throw error
            } catch {
                lastProblem = "\(error)"
            }
            if attempt < policy.attempts {
                let backoff = retryAfterSeconds ?? Double(policy.backoffMilliseconds << (attempt - 1)) / 1000
                Thread.sleep(forTimeInterval: min(backoff, 30))
            }
        }
        throw IngestError(source: source, request: kind, field: "",
                          reason: "gave up after \(policy.attempts) attempts to \(request.url.absoluteString); last: \(lastProblem)")
    }

    private func waitForRateLimit() {
        lock.lock()
        defer { lock.unlock() }
        if let last = lastRequest {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - last.uptimeNanoseconds) / 1e6
            let wait = Double(policy.minimumIntervalMilliseconds) - elapsed
            if wait > 0 { Thread.sleep(forTimeInterval: wait / 1000) }
        }
        lastRequest = .now()
    }
}

/// The Hyperliquid `POST /info` requests, as bodies.
public enum HyperliquidInfo {
    public static let defaultBaseURL = URL(string: "https://api.hyperliquid.xyz")!

    /// The request body for a kind (with the asset and window for the per-asset kinds).
    public static func body(_ kind: HyperliquidRequest, dex: String = "", symbol: String? = nil,
                            interval: String = "1h", startMs: Int64? = nil, endMs: Int64? = nil) -> [UInt8] {
        var fields: [String: Any] = ["type": kind.rawValue]
        switch kind {
        case .allMids, .meta, .metaAndAssetCtxs:
            if !dex.isEmpty { fields["dex"] = dex }
        case .candleSnapshot:
            var inner: [String: Any] = ["coin": symbol ?? "BTC", "interval": interval]
            if let startMs { inner["startTime"] = startMs }
            if let endMs { inner["endTime"] = endMs }
            fields["req"] = inner
        case .fundingHistory:
            fields["coin"] = symbol ?? "BTC"
            fields["startTime"] = startMs ?? 0
            if let endMs { fields["endTime"] = endMs }
        case .l2Book:
            fields["coin"] = symbol ?? "BTC"
        case .spotMeta, .spotMetaAndAssetCtxs, .perpCategories:
            break
        }
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data()
        return Array(data)
    }

    public static func request(_ kind: HyperliquidRequest, baseURL: URL, body: [UInt8]) -> HTTPRequest {
        HTTPRequest(method: "POST", url: baseURL.appendingPathComponent("info"),
                    headers: ["Content-Type": "application/json"], body: body)
    }
}

/// Polymarket Gamma listings, read page by page (`limit` and `offset`).
public enum PolymarketGamma {
    public static let defaultBaseURL = "https://gamma-api.polymarket.com"

    /// Every page of the listing at `path` (which may hold other query items), up to `maxPages`:
    /// reading stops at the first page with fewer than `pageSize` items.
    public static func fetchPages(_ client: MarketClient, base: String, path: String, pageSize: Int = 100,
                                  maxPages: Int = 50) throws(IngestError) -> [[UInt8]] {
        var pages: [[UInt8]] = []
        let separator = path.contains("?") ? "&" : "?"
        for page in 0..<maxPages {
            let address = base + path + separator + "limit=\(pageSize)&offset=\(page * pageSize)"
            guard let url = URL(string: address) else {
                throw IngestError(source: "polymarket", request: path, field: "", reason: "\(address) is not a URL")
            }
            let body = try client.fetch(HTTPRequest(method: "GET", url: url), kind: "markets page \(page + 1)")
            pages.append(body)
            if PolymarketNormalizer.pageCount(body) < pageSize { break }
        }
        return pages
    }
}
