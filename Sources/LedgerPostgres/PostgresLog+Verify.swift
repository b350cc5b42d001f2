import Canonical
import LedgerLog
import PostgresNIO

extension PostgresLog {
    /// What `verify` found: every sequence from 1 to the head present once, each batch's chain value
    /// recomputed from the stored canonical bytes and the chain value before it, the head's equal
    /// to the last batch's.
    public struct Verification: Sendable, Equatable {
        public var events: UInt64
        public var batches: Int
        public var head: LogHead
    }

    /// Walks the whole log and recomputes its chain; throws `PostgresLogError.corrupt` naming the
    /// first sequence that does not hold.
    public func verify() throws -> Verification {
        let head = try self.head
        var ends: [(first: UInt64, last: UInt64, chain: ChainHash)] = []
        for row in try query("SELECT first_seq, last_seq, chain FROM log_batches ORDER BY last_seq", "verifying (the batches)") {
            let (first, last, chain) = try row.decode((Int64, Int64, ByteBuffer).self)
            ends.append((UInt64(first), UInt64(last), ChainHash(bytes: Array(chain.readableBytesView))))
        }
        var chain = ChainHash.genesis
        var expected: UInt64 = 1
        var batchIndex = 0
        var batch: [UInt8] = []
        try forEachCanonical(from: 1) { sequence, bytes in
            guard sequence == expected else {
                throw PostgresLogError.corrupt(sequence: expected, reason: "sequence \(expected) is missing (the next stored is \(sequence))")
            }
            guard batchIndex < ends.count, ends[batchIndex].first <= sequence else {
                throw PostgresLogError.corrupt(sequence: sequence, reason: "no batch holds it")
            }
            batch.append(contentsOf: bytes)
            batch.append(0x0A)
            if sequence == ends[batchIndex].last {
                chain = chain.next(batch)
                guard chain == ends[batchIndex].chain else {
                    throw PostgresLogError.corrupt(sequence: sequence, reason: "the chain value of the batch ending here does not follow from its records")
                }
                batch.removeAll(keepingCapacity: true)
                batchIndex += 1
            }
            expected += 1
            return true
        }
        guard expected - 1 == head.sequence, batchIndex == ends.count, chain == head.chain else {
            throw PostgresLogError.corrupt(sequence: expected, reason: "the head (\(head.sequence)) does not match the stored records and batches")
        }
        return Verification(events: head.sequence, batches: ends.count, head: head)
    }
}

extension PostgresLog {
    /// The server process serving this store's session (`pg_backend_pid()`).
    public func sessionProcessId() throws -> Int32 {
        try query("SELECT pg_backend_pid()", "reading the session's process id").first!.decode(Int32.self)
    }

    /// Ends another session (a writer stuck or to be fenced off): its transaction rolls back and
    /// its client gets an error. Needs the rights `pg_terminate_backend` asks for.
    @discardableResult
    public func terminateSession(_ processId: Int32) throws -> Bool {
        try query("SELECT pg_terminate_backend(\(processId))", "ending session \(processId)").first!.decode(Bool.self)
    }
}

extension PostgresLog {
    /// Each batch (an append) in order with its canonical lines: what `clash log export` writes.
    public func forEachBatch(_ body: (LogExport.ExportBatch) throws -> Bool) throws {
        var ends: [(first: UInt64, last: UInt64, chain: ChainHash)] = []
        for row in try query("SELECT first_seq, last_seq, chain FROM log_batches ORDER BY last_seq", "reading the batches") {
            let (first, last, chain) = try row.decode((Int64, Int64, ByteBuffer).self)
            ends.append((UInt64(first), UInt64(last), ChainHash(bytes: Array(chain.readableBytesView))))
        }
        var index = 0
        var lines: [UInt8] = []
        var stop = false
        try forEachCanonical(from: 1) { sequence, bytes in
            guard index < ends.count else { return false }
            lines.append(contentsOf: bytes)
            lines.append(0x0A)
            if sequence == ends[index].last {
                let end = ends[index]
                stop = try !body(LogExport.ExportBatch(first: end.first, count: Int(end.last - end.first + 1), chain: end.chain, lines: lines))
                lines.removeAll(keepingCapacity: true)
                index += 1
            }
            return !stop
        }
    }
}
