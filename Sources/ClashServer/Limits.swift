import Foundation
import Hummingbird

/// What one client may ask, named in one place. A request past a limit is refused before any
/// handler runs, as problem+json: 414 for a long URL, 431 for headers past their size, 413 for a
/// body (these routes take none past `bodyBytesMax`), 429 with `Retry-After` past the rate (per
/// client address, and per signed-in wallet however many addresses it asks from), 503 with
/// `Retry-After` past the live feed's subscribers. A connection with no request in flight is closed
/// after `idleSeconds`; a slow client holds only its own connection (the event loops never wait
/// for one), so slow clients do not delay the others.
public struct Limits: Sendable {
    /// The longest request target, bytes.
    public var urlBytesMax = 8_192
    /// The most header bytes (names and values), and the most header fields, of one request.
    public var headerBytesMax = 16_384
    public var headerFieldsMax = 100
    /// The largest request body, bytes.
    public var bodyBytesMax = 1 << 20
    /// Requests a second per client address, and per signed-in wallet (a burst of as many each),
    /// nil: no rate limit (`--rate-limit off`).
    public var requestsPerSecond: Int? = 50
    /// Clients on the live feed at once.
    public var liveSubscribersMax = 5_000
    /// Seconds a connection may stay open with no request in flight.
    public var idleSeconds: Int64 = 60

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
    /// Who a bearer token signs in, for the per-wallet rate.
    let auth: Authenticator

    init(_ limits: Limits, auth: Authenticator) {
        self.limits = limits
        self.auth = auth
        limiter = limits.requestsPerSecond.map(RateLimiter.init)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.description.utf8.count > limits.urlBytesMax {
            return Problem(.uriTooLong, "request.url_too_long", "the request target is over \(limits.urlBytesMax) bytes").response
        }
        let headerBytes = request.headers.reduce(0) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count }
        if headerBytes > limits.headerBytesMax || request.headers.count > limits.headerFieldsMax {
            return Problem(.requestHeaderFieldsTooLarge, "request.headers_too_large",
                           "the headers are over \(limits.headerBytesMax) bytes or \(limits.headerFieldsMax) fields").response
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limits.bodyBytesMax {
            return Problem(.contentTooLarge, "request.body_too_large", "the body is over \(limits.bodyBytesMax) bytes").response
        }
        if let limiter {
            // A wallet is limited as one client, whichever addresses it asks from.
            let wallet = auth.sessionWallet(request)?.lowercase
            for (key, who) in [(context.client, context.client)] + (wallet.map { [("wallet " + $0, $0)] } ?? []) {
                if let wait = limiter.wait(key) {
                    var response = Problem(.tooManyRequests, "request.rate_limited", "more than \(limits.requestsPerSecond ?? 0) requests a second from \(who); try again in \(wait) s").response
                    response.headers[.retryAfter] = String(wait)
                    return response
                }
            }
        }
        return try await next(request, context)
    }
}
