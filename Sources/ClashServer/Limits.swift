import Foundation
import Hummingbird

/// What one client may ask, named in one place. A request past a limit is refused before any
/// handler runs, as problem+json: 414 for a long URL, 413 for a body (these routes take none past
/// `bodyBytesMax`), 429 with `Retry-After` past the rate.
public struct Limits: Sendable {
    /// The longest request target, bytes.
    public var urlBytesMax = 8_192
    /// The largest request body, bytes.
    public var bodyBytesMax = 1 << 20
    /// Requests a second per client address (a burst of as many), nil: no rate limit (`--rate-limit off`).
    public var requestsPerSecond: Int? = 50

    public init() {}
}

/// A token bucket per client address: `rate` tokens a second, at most `rate` kept.
final class RateLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private let rate: Double
    private var buckets: [String: (tokens: Double, at: UInt64)] = [:]

    init(rate: Int) { self.rate = Double(rate) }

    /// Nil when `client` may go ahead now; else the seconds until it may.
    func wait(_ client: String) -> Int? {
        lock.withLock {
            let now = DispatchTime.now().uptimeNanoseconds
            var bucket = buckets[client] ?? (rate, now)
            bucket.tokens = min(rate, bucket.tokens + Double(now - bucket.at) / 1e9 * rate)
            bucket.at = now
            defer { buckets[client] = bucket }
            if buckets.count > 100_000 { buckets = buckets.filter { now - $0.value.at < 60_000_000_000 } }
            guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }
}

struct LimitsMiddleware: RouterMiddleware {
    typealias Context = ArenaRequestContext
    let limits: Limits
    let limiter: RateLimiter?

    init(_ limits: Limits) {
        self.limits = limits
        limiter = limits.requestsPerSecond.map(RateLimiter.init)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.description.utf8.count > limits.urlBytesMax {
            return Problem(.uriTooLong, "request.url_too_long", "the request target is over \(limits.urlBytesMax) bytes").response
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limits.bodyBytesMax {
            return Problem(.contentTooLarge, "request.body_too_large", "the body is over \(limits.bodyBytesMax) bytes").response
        }
        if let limiter, let wait = limiter.wait(context.client) {
            var response = Problem(.tooManyRequests, "request.rate_limited", "more than \(limits.requestsPerSecond ?? 0) requests a second from \(context.client); try again in \(wait) s").response
            response.headers[.retryAfter] = String(wait)
            return response
        }
        return try await next(request, context)
    }
}
