import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Every request gets an id — the client's `X-Request-Id` when it is a short token, else a new
/// one — sent back in `X-Request-Id` and put on every log line of the request (`request_id`);
/// each answer is logged once: method, path, status, milliseconds.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ArenaRequestContext
    private static let counter = Counter()
    let metrics: ServerMetrics
    /// Whether each answer is logged (`--access-log off` for benchmarks; errors are logged anyway).
    let accessLog: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let given = request.headers[HTTPField.Name("X-Request-Id")!]
        let id = given.flatMap { $0.utf8.count <= 64 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") } ? $0 : nil }
            ?? Self.counter.next()
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        let started = DispatchTime.now().uptimeNanoseconds
        var response = try await next(request, context)
        response.headers[HTTPField.Name("X-Request-Id")!] = id
        let elapsed = DispatchTime.now().uptimeNanoseconds - started
        let milliseconds = elapsed / 1_000_000
        // The route's template (`/v1/races/{race_id}`), not the path, so ids do not multiply series.
        metrics.answered(route: context.endpointPath ?? "unmatched", status: Int(response.status.code), nanoseconds: elapsed)
        if accessLog || response.status.code >= 500 {
            context.logger.notice("\(request.method) \(request.uri.path) \(response.status.code) in \(milliseconds) ms")
        }
        return response
    }

    /// Request ids: this process's start and a count, unique across restarts of one machine.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count: UInt64 = 0
        private let prefix = String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36)

        func next() -> String {
            lock.withLock {
                count += 1
                return "\(prefix)-\(count)"
            }
        }
    }
}
