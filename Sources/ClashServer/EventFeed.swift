import Clash
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// `GET /v1/events?from=SEQ[&type=T…][&stream=S]`: the log as Server-Sent Events — `id:` the
/// global sequence, `event:` the type, `data:` the record exactly as stored — from `from` (or the
/// event after `Last-Event-ID`, to resume) on; `event: caught-up` once the stream reaches the
/// log's head, then new events as they are appended; a heartbeat comment every `heartbeatSeconds`.
/// The stream ends when the client leaves (a write fails) or the server shuts down. Events carry
/// only hashes of private artifacts, so the public feed shows no strategy.
enum EventFeed {
    static let batch = 500

    /// One record as a Server-Sent Events frame.
    static func frame(_ record: LogRecord) -> String {
        "id: \(record.sequence)\nevent: \(record.type)\ndata: \(String(decoding: record.canonicalBytes, as: UTF8.self))\n\n"
    }

    static func response(_ request: Request, _ ledger: ServedLedger, live: LiveHead, heartbeatSeconds: Double, metrics: ServerMetrics,
                         subscribersMax: Int) -> Response {
        guard metrics.subscriberCount < subscribersMax else {
            var response = Problem(.serviceUnavailable, "events.too_many_subscribers",
                                   "the live feed has \(subscribersMax) clients already; try again shortly, resuming with Last-Event-ID").response
            response.headers[.retryAfter] = "5"
            return response
        }
        let resumeAfter = request.headers[HTTPField.Name("Last-Event-ID")!].flatMap { UInt64($0) }
        let start = resumeAfter.map { $0 + 1 } ?? request.uri.queryParameters.get("from", as: UInt64.self) ?? 1
        let types = Set(request.uri.queryParameters.getAll("type").map { String($0) })
        let stream: String? = request.uri.queryParameters.get("stream").map { String($0) }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: ResponseBody { writer in
            metrics.subscribed(1)
            defer { metrics.subscribed(-1) }
            var next = max(1, start)
            var caughtUp = false
            var lastWrite = DispatchTime.now()
            func send(_ text: String) async throws {
                try await writer.write(ByteBuffer(string: text))
                lastWrite = DispatchTime.now()
            }
            // From the log until caught up; then from the live head, which wakes this stream when
            // the next record lands (or each second, to beat and to notice a shutdown).
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let records: [(record: LogRecord, frame: ByteBuffer?)]
                if caughtUp, let live = await live.records(after: next - 1, timeoutMs: min(1_000, UInt64(heartbeatSeconds * 1_000))) {
                    records = live.map { ($0.record, $0.frame) }
                } else {
                    records = try ledger.records(from: next, limit: batch).map { ($0, nil) }
                }
                for (record, frame) in records where (types.isEmpty || types.contains(record.type)) && (stream == nil || record.stream == stream) {
                    try await writer.write(frame ?? ByteBuffer(string: Self.frame(record)))
                    lastWrite = DispatchTime.now()
                }
                if let last = records.last { next = last.record.sequence + 1 }
                if !caughtUp {
                    guard records.count < batch else { continue }
                    caughtUp = true
                    try await send("event: caught-up\ndata: {\"head_sequence\":\(next - 1)}\n\n")
                }
                if Double(DispatchTime.now().uptimeNanoseconds - lastWrite.uptimeNanoseconds) / 1e9 >= heartbeatSeconds {
                    try await send(": heartbeat\n\n")
                }
            }
            try await writer.finish(nil)
        })
    }
}
