import Canonical
import Foundation
import LedgerLog
import NIOCore
import PostgresNIO

extension PostgresLog {
    /// What a store has written since it was opened.
    public struct Statistics: Sendable, Equatable {
        /// Transactions that wrote: fewer than the appends written when concurrent callers' appends
        /// were grouped.
        public var transactions = 0
        /// Groups the database handed back (an expectation that did not hold, an id already
        /// written), made again under the head's lock with every check of the writer's own.
        public var handedBack = 0
    }

    public var statistics: Statistics {
        lock.lock()
        defer { lock.unlock() }
        return counters
    }

    /// The appends waiting for a writer. The caller that finds no one writing writes the group at
    /// the front (its own append among them), then hands the writing to the next waiting caller.
    final class AppendQueue: @unchecked Sendable {
        let lock = NSLock()
        var waiting: [PendingAppend] = []
        var writing = false
    }

    final class PendingAppend: @unchecked Sendable {
        let drafts: [EventDraft]
        let expectations: [String: ExpectedVersion]
        /// Set by the caller that wrote the group, before it wakes this one.
        var result: Result<AppendResult, any Error>?
        let wake = DispatchSemaphore(value: 0)

        init(drafts: [EventDraft], expectations: [String: ExpectedVersion]) {
            self.drafts = drafts
            self.expectations = expectations
        }
    }

    @discardableResult
    public func append(_ drafts: [EventDraft], expectations: [String: ExpectedVersion]) throws -> AppendResult {
        try DraftValidator.validate(drafts)
        var seen = Set<String>()
        for (index, draft) in drafts.enumerated() where !seen.insert(draft.id).inserted {
            throw LogError.invalidDraft(index: index, field: "id", reason: "id \(draft.id) appears twice in the append")
        }
        let request = PendingAppend(drafts: drafts, expectations: expectations)
        let queue = appendQueue
        queue.lock.lock()
        queue.waiting.append(request)
        let writes = !queue.writing
        queue.writing = true
        queue.lock.unlock()
        if !writes { request.wake.wait() }
        // Woken without a result: the caller before handed over the writing.
        if request.result == nil { writeFront(of: queue) }
        return try request.result!.get()
    }

    /// Writes the appends at the front of the queue in one transaction (at most a batch's worth of
    /// records, at least one append), answers them, and hands the writing on.
    private func writeFront(of queue: AppendQueue) {
        queue.lock.lock()
        var count = 0
        var records = 0
        for request in queue.waiting {
            guard count == 0 || records + request.drafts.count <= LogLimits.batchRecordsMax else { break }
            count += 1
            records += request.drafts.count
        }
        let group = Array(queue.waiting.prefix(count))
        queue.waiting.removeFirst(count)
        queue.lock.unlock()

        write(group)
        for request in group.dropFirst() { request.wake.signal() }

        queue.lock.lock()
        if let next = queue.waiting.first {
            queue.lock.unlock()
            next.wake.signal()
        } else {
            queue.writing = false
            queue.lock.unlock()
        }
    }

    private func write(_ group: [PendingAppend]) {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else {
            for request in group { request.result = .failure(LogError.closed) }
            return
        }
        do {
            let results = try retrying { try writeOnce(group) }
            for (request, result) in zip(group, results) { request.result = result }
        } catch PostgresLogError.unavailable(let location, let reason) {
            for request in group { request.result = .failure(PostgresLogError.unavailable(location: location, reason: reason)) }
        } catch {
            // The transaction failed for a reason other than the connection: so that one caller's
            // append cannot fail another's, each is tried alone.
            guard group.count > 1 else {
                group[0].result = .failure(error)
                return
            }
            for request in group {
                request.result = Result { try retrying { try writeOnce([request]) }[0].get() }
            }
        }
    }

    /// One attempt at writing `group`. A small group is one call of `clash_append`, which places
    /// the records after the head inside the database, so the head's lock is held for no round
    /// trip; a large one is placed here, under the head's lock, where the database's string work
    /// would cost more than the round trips. The ids are left to the unique index. When the call
    /// finds an expectation that does not hold or an id already written (and writes nothing), the
    /// appends are made under the head's lock with every check made here, each answered alone.
    private func writeOnce(_ group: [PendingAppend]) throws -> [Result<AppendResult, any Error>] {
        do {
            if group.reduce(0, { $0 + $1.drafts.count }) <= Self.placedInDatabaseMax, let call = AppendCall(group) {
                do {
                    guard let head = try query(call.query, "an append").first.map({ try $0.decode(Int64.self) }) else {
                        throw PostgresLogError.corrupt(sequence: 0, reason: "clash_append returned no head")
                    }
                    counters.transactions += 1
                    return call.results(after: UInt64(head))
                } catch PostgresLogError.server(_, _, AppendCall.expectationFailed, _) {
                    counters.handedBack += 1
                    return try writeLocked(group, ids: true)
                }
            }
            return try writeLocked(group, ids: false)
        } catch PostgresLogError.server(_, _, AppendCall.uniqueViolation, _) {
            counters.handedBack += 1
            return try writeLocked(group, ids: true)
        }
    }

    /// The most records a group may hold to be placed by `clash_append` rather than here.
    static let placedInDatabaseMax = 256

    /// Writes `group` in a transaction holding the head row's lock, so no other writer moves the
    /// head between this read and this write: each append's expectations (and, with `ids`, its
    /// ids) checked against the log and the appends before it in the group.
    private func writeLocked(_ group: [PendingAppend], ids: Bool) throws -> [Result<AppendResult, any Error>] {
        try transaction("an append") {
            try query("SELECT seq FROM log_head WHERE id = 1 FOR UPDATE", "an append (locking the head)")
            let plan = plan(group, try readState(of: group, ids: ids))
            guard plan.writes else { return plan.results }
            guard try query(Self.writeQuery(plan), "an append (its events)").count == 1 else {
                throw PostgresLogError.corrupt(sequence: plan.head, reason: "the head moved while this writer held its lock")
            }
            counters.transactions += 1
            return plan.results
        }
    }

    /// What the log holds that the group's checks need, as of one snapshot.
    struct State {
        var head: UInt64
        var chain: ChainHash
        /// The group's event ids already written, and where (when they were read).
        var written: [String: UInt64]
        /// The last version of each stream the group names.
        var versions: [String: UInt64]
    }

    private func readState(of group: [PendingAppend], ids checkingIds: Bool) throws -> State {
        var streams = Set<String>()
        for request in group {
            for draft in request.drafts { streams.insert(draft.stream) }
            streams.formUnion(request.expectations.keys)
        }
        let ids = checkingIds ? group.flatMap { $0.drafts.map(\.id) } : []
        let rows = try query(Self.stateQuery(ids: ids, streams: Array(streams)), "an append (the head, its ids and streams)")
        var state = State(head: 0, chain: .genesis, written: [:], versions: [:])
        var sawHead = false
        for row in rows {
            let (kind, key, number, bytes) = try row.decode((Int32, String, Int64?, ByteBuffer?).self)
            switch kind {
            case 0:
                sawHead = true
                state.head = UInt64(number ?? 0)
                state.chain = ChainHash(bytes: Array(bytes?.readableBytesView ?? ByteBuffer().readableBytesView))
            case 1: state.written[key] = UInt64(number ?? 0)
            default: state.versions[key] = UInt64(number ?? 0)
            }
        }
        guard sawHead else { throw PostgresLogError.corrupt(sequence: 0, reason: "the head row is missing") }
        return state
    }

    /// The group's records and batches placed after the head read, each append's checks made
    /// against the log and the appends before it in the group.
    struct Plan {
        var head: UInt64
        var newHead: UInt64
        var newChain: ChainHash
        var results: [Result<AppendResult, any Error>] = []
        var seq: [Int64] = [], id: [String] = [], stream: [String] = [], version: [Int64] = [], type: [String] = [], record: [ByteBuffer] = []
        var batchLast: [Int64] = [], batchFirst: [Int64] = [], batchChain: [ByteBuffer] = []
        var writes: Bool { !batchLast.isEmpty }
    }

    private func plan(_ group: [PendingAppend], _ state: State) -> Plan {
        var plan = Plan(head: state.head, newHead: state.head, newChain: state.chain)
        var written = state.written
        var versions = state.versions
        var batch = CanonicalJSONWriter()
        for request in group {
            let ids = request.drafts.map(\.id)
            let found = ids.compactMap { written[$0] }
            if !found.isEmpty {
                plan.results.append(found.count == ids.count
                    ? .success(AppendResult(firstSequence: found.min()!, lastSequence: found.max()!, written: false))
                    : .failure(LogError.partialDuplicate(ids: ids.filter { written[$0] != nil })))
                continue
            }
            guard !request.drafts.isEmpty else {
                plan.results.append(.success(AppendResult(firstSequence: plan.newHead + 1, lastSequence: plan.newHead, written: false)))
                continue
            }
            if let refusal = refusal(of: request.expectations, versions) {
                plan.results.append(.failure(refusal))
                continue
            }
            let first = plan.newHead + 1
            var sequence = plan.newHead
            batch.bytes.removeAll(keepingCapacity: true)
            for draft in request.drafts {
                sequence += 1
                let version = (versions[draft.stream] ?? 0) + 1
                versions[draft.stream] = version
                written[draft.id] = sequence
                let start = batch.bytes.count
                RecordCodec.encode(draft, sequence: sequence, streamVersion: version, into: &batch)
                plan.record.append(ByteBuffer(bytes: batch.bytes[start...]))
                batch.newline()
                plan.seq.append(Int64(sequence))
                plan.id.append(draft.id)
                plan.stream.append(draft.stream)
                plan.version.append(Int64(version))
                plan.type.append(draft.type)
            }
            plan.newChain = plan.newChain.next(batch.bytes)
            plan.newHead = sequence
            plan.batchLast.append(Int64(sequence))
            plan.batchFirst.append(Int64(first))
            plan.batchChain.append(ByteBuffer(bytes: plan.newChain.bytes))
            plan.results.append(.success(AppendResult(firstSequence: first, lastSequence: sequence, written: true)))
        }
        return plan
    }

    private func refusal(of expectations: [String: ExpectedVersion], _ versions: [String: UInt64]) -> LogError? {
        for (stream, expected) in expectations.sorted(by: { $0.key < $1.key }) {
            let actual = versions[stream] ?? 0
            let holds: Bool
            switch expected {
            case .any: holds = true
            case .noStream: holds = actual == 0
            case .exactly(let version): holds = actual == version
            }
            if !holds { return LogError.wrongExpectedVersion(stream: stream, expected: expected, actual: actual) }
        }
        return nil
    }
}
