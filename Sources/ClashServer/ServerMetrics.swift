import Foundation
import Prometheus

/// What `GET /metrics` reports, in the Prometheus text format: requests and their latencies by
/// route (the route's template, so ids do not multiply the series) and status, the log's head,
/// and the live feed's subscribers.
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
    private let lock = NSLock()

    func answered(route: String, status: Int, nanoseconds: UInt64) {
        lock.withLock {
            registry.makeCounter(descriptor: requests, labels: [("route", route), ("status", String(status))]).increment()
            registry.makeDurationHistogram(descriptor: latency, labels: [("route", route)], buckets: buckets).recordNanoseconds(Int64(nanoseconds))
        }
    }

    func subscribed(_ delta: Double) { lock.withLock { subscribers.increment(by: delta) } }

    /// The text format, with the log's head as of now.
    func exposition(headSequence: UInt64) -> [UInt8] {
        lock.withLock {
            head.set(Int64(headSequence))
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return buffer
        }
    }
}
