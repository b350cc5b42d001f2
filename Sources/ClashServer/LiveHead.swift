import Clash
import Foundation
import NIOCore

/// The log's head as the live feed's subscribers follow it: one task looks at the log every
/// `pollMilliseconds`, reads what was appended once, keeps the newest `keep` records in memory,
/// and wakes every subscriber waiting for them — so a thousand subscribers cost one reader, and an
/// event reaches them within a poll of its append.
actor LiveHead {
    static let pollMilliseconds: UInt64 = 10
    private let keep: Int
    /// The newest records, in order (at most `keep`), each with its Server-Sent Events frame,
    /// encoded once for every subscriber.
    private var recent: [(record: LogRecord, frame: ByteBuffer)] = []
    private var head: UInt64 = 0
    /// Subscribers waiting for a record after `after`, by a number of their own.
    private var waiting: [Int: (after: UInt64, continuation: CheckedContinuation<Void, Never>)] = [:]
    private var nextWaiter = 0

    init(keep: Int = 10_000) { self.keep = keep }

    /// Follows `ledger` until the task is cancelled.
    func follow(_ ledger: ServedLedger) async {
        head = (try? ledger.headSequence()) ?? 0
        ledger.cache.moved(to: head)
        while !Task.isCancelled {
            if let newest = try? ledger.headSequence(), newest > head {
                ledger.cache.moved(to: newest)
                var records: [LogRecord] = []
                while let last = records.last?.sequence ?? Optional(head), last < newest,
                      let batch = try? ledger.records(from: last + 1, limit: 1_000), !batch.isEmpty {
                    records += batch
                }
                appended(records)
            }
            try? await Task.sleep(nanoseconds: Self.pollMilliseconds * 1_000_000)
        }
        wakeAll()
    }

    private func appended(_ records: [LogRecord]) {
        guard let last = records.last else { return }
        recent += records.map { ($0, ByteBuffer(string: EventFeed.frame($0))) }
        if recent.count > keep { recent.removeFirst(recent.count - keep) }
        head = last.sequence
        for (id, waiter) in waiting where waiter.after < head {
            waiting[id] = nil
            waiter.continuation.resume()
        }
    }

    private func wakeAll() {
        for waiter in waiting.values { waiter.continuation.resume() }
        waiting.removeAll()
    }

    /// The records after `sequence` once there are any (or after `timeoutMs`, empty): nil when
    /// they are older than what is kept (read them from the log).
    func records(after sequence: UInt64, timeoutMs: UInt64) async -> [(record: LogRecord, frame: ByteBuffer)]? {
        if head <= sequence {
            let id = nextWaiter
            nextWaiter += 1
            await withCheckedContinuation { continuation in
                waiting[id] = (sequence, continuation)
                Task { [weak self] in
                    try? await Task.sleep(nanoseconds: timeoutMs * 1_000_000)
                    await self?.timeOut(id)
                }
            }
        }
        guard head > sequence else { return [] }
        guard let first = recent.first?.record, first.sequence <= sequence + 1 else { return nil }
        return Array(recent[Int(sequence + 1 - first.sequence)...])
    }

    /// Wakes a waiter whose time ran out, unless something woke it already.
    private func timeOut(_ id: Int) {
        waiting.removeValue(forKey: id)?.continuation.resume()
    }
}
