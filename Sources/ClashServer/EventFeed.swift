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
    static let pollMilliseconds = 250

    static func response(_ request: Request, _ ledger: ServedLedger, heartbeatSeconds: Double, metrics: ServerMetrics) -> Response {
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
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let records = try ledger.records(from: next, limit: batch)
                for record in records where (types.isEmpty || types.contains(record.type)) && (stream == nil || record.stream == stream) {
                    try await send("id: \(record.sequence)\nevent: \(record.type)\ndata: \(String(decoding: record.canonicalBytes, as: UTF8.self))\n\n")
                }
                if let last = records.last { next = last.sequence + 1 }
                guard records.count < batch else { continue }
                if !caughtUp {
                    caughtUp = true
                    try await send("event: caught-up\ndata: {\"head_sequence\":\(next - 1)}\n\n")
                }
                if Double(DispatchTime.now().uptimeNanoseconds - lastWrite.uptimeNanoseconds) / 1e9 >= heartbeatSeconds {
                    try await send(": heartbeat\n\n")
                }
                try? await Task.sleep(nanoseconds: UInt64(pollMilliseconds) * 1_000_000)
            }
            try await writer.finish(nil)
        })
    }
}
