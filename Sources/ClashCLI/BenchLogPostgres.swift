import ArgumentParser
import Foundation
import LedgerLog
import LedgerPostgres
import Clash

/// `clash bench log --store postgres://…`: durable appends into an empty log on PostgreSQL by
/// `--writers` connections (each as a separate writer process would be), each called by
/// `--callers` threads at once (whose appends the store groups into shared transactions), then
/// read and decode, verify, and the bytes the log takes in the database.
extension BenchLog {
    func benchPostgres(_ url: String) throws {
        let location = try PostgresLocation(url: url)
        let stores = try (0..<writers).map { _ in try PostgresLog.open(location) }
        defer { for store in stores { try? store.close() } }
        guard try stores[0].head.sequence == 0 else {
            throw ValidationError("the log at \(location) is not empty; bench log appends into an empty log: name a fresh schema (?schema=NAME)")
        }

        // The drafts are made before the clock starts, as the peer reads its ticks first; thread
        // k of writer w takes every (writers × callers)-th chunk, starting at its own.
        let threads = writers * callers
        var ticks = SyntheticTicks(seed: seed)
        var work = [[[EventDraft]]](repeating: [], count: threads)
        var left = events
        var index = 0
        while left > 0 {
            let count = min(chunk, left)
            work[index % threads].append((0..<count).map { _ in ticks.next()! })
            left -= count
            index += 1
        }

        let failures = Failures()
        let group = DispatchGroup()
        let start = DispatchSemaphore(value: 0)
        for thread in 0..<threads {
            let store = stores[thread % writers]
            let chunks = work[thread]
            group.enter()
            Thread.detachNewThread {
                start.wait()
                do {
                    for drafts in chunks { try store.append(drafts) }
                } catch {
                    failures.record(error)
                }
                group.leave()
            }
        }
        work = []
        var clock = monotonicSeconds()
        for _ in 0..<threads { start.signal() }
        group.wait()
        let appendSeconds = monotonicSeconds() - clock
        if let error = failures.first { throw error }
        let transactions = stores.reduce(0) { $0 + $1.statistics.transactions }
        let handedBack = stores.reduce(0) { $0 + $1.statistics.handedBack }

        let reader = try PostgresLog.open(location)
        defer { try? reader.close() }
        let readSeconds = try readAndDecode(reader)

        clock = monotonicSeconds()
        let verification = try reader.verify()
        let verifySeconds = monotonicSeconds() - clock
        guard verification.events == UInt64(events) else { throw ValidationError("verify counted \(verification.events) of \(events) events") }
        let bytes = try reader.storageBytes()

        Output.json { json in
            json.beginObject()
            json.key("append_events_per_second"); json.int(rate(events, appendSeconds))
            json.key("appends"); json.int(index)
            json.key("batch"); json.int(chunk)
            json.key("bytes_in_database"); json.int(bytes)
            json.key("bytes_per_event"); json.decimal(Double(bytes) / Double(max(events, 1)))
            json.key("callers"); json.int(callers)
            json.key("events"); json.int(events)
            json.key("handed_back"); json.int(handedBack)
            json.key("read_decode_events_per_second"); json.int(rate(events, readSeconds))
            json.key("seed"); json.uint(seed)
            json.key("store"); json.string(location.description)
            json.key("transactions"); json.int(transactions)
            json.key("verify_events_per_second"); json.int(rate(events, verifySeconds))
            json.key("writers"); json.int(writers)
            json.endObject()
        }
    }

    /// The first error any thread met.
    private final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var first: (any Error)?
        func record(_ error: any Error) {
            lock.lock()
            if first == nil { first = error }
            lock.unlock()
        }
    }
}
