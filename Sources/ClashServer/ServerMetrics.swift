import Foundation
import Prometheus

/// What `GET /metrics` reports, in the Prometheus text format: requests and their latencies by
/// route (the route's template, so ids do not multiply the series) and status, the log's head,
/// the events appended since the server started (by it or beside it), each read model's lag behind
/// the head, and the live feed's subscribers.
final class ServerMetrics: @unchecked Sendable {
    let registry = PrometheusCollectorRegistry()
    private let requests = MetricNameDescriptor(namespace: "clash", metricName: "http_requests", unitName: "total",
                                                helpText: "Requests answered, by route and status.")
    private let latency = MetricNameDescriptor(namespace: "clash", metricName: "http_request_duration", unitName: "seconds",
                                               helpText: "How long answers took, by route.")
    private let buckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500),
                                       .seconds(2), .seconds(10)]
    private lazy var head = registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "clash", metricName: "log_head", unitName: "sequence",
                                                                                 helpText: "The log's last sequence, as last read."))
    private(set) lazy var subscribers = registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "clash", metricName: "live", unitName: "subscribers",
                                                                                             helpText: "Clients on the live feed now."))
    private lazy var appended = registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "clash", metricName: "log_appended_since_start", unitName: "events",
                                                                                     helpText: "Events appended to the log since the server started, by it or beside it."))
    private let lag = MetricNameDescriptor(namespace: "clash", metricName: "projection_lag", unitName: "events",
                                           helpText: "How far each read model lags behind the log's head before a query folds it up.")
    private let lock = NSLock()
    /// The log's head when the server started.
    private var startHead: UInt64?

    func answered(route: String, status: Int, nanoseconds: UInt64) {
        lock.withLock {
            registry.makeCounter(descriptor: requests, labels: [("route", route), ("status", String(status))]).increment()
            registry.makeDurationHistogram(descriptor: latency, labels: [("route", route)], buckets: buckets).recordNanoseconds(Int64(nanoseconds))
        }
    }

    func subscribed(_ delta: Int) {
        lock.withLock {
            liveSubscribers += delta
            subscribers.set(Int64(liveSubscribers))
        }
    }

    /// Clients on the live feed now.
    var subscriberCount: Int { lock.withLock { liveSubscribers } }
    private var liveSubscribers = 0

    /// Marks the log's head at the server's start.
    func started(at headSequence: UInt64) { lock.withLock { startHead = headSequence } }

    /// The text format, with the log's head and the read models' lag as of now.
    func exposition(headSequence: UInt64, projectionLag: [(name: String, lag: UInt64)]) -> [UInt8] {
        lock.withLock {
            head.set(Int64(headSequence))
            let start = startHead ?? headSequence
            startHead = start
            appended.set(Int64(headSequence - min(headSequence, start)))
            for (name, events) in projectionLag {
                registry.makeGauge(descriptor: lag, labels: [("read_model", name)]).set(Int64(events))
            }
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return buffer
        }
    }
}
