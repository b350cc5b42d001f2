import Dispatch
import Foundation

/// Reads records with two threads: the calling thread and a helper take the log's batches turn
/// about. The caller decodes its batches straight into `body`; the helper decodes the batch after
/// into an array, which the caller then hands to `body`. Records arrive in log order on the calling
/// thread, exactly as a one-thread read delivers them, damage included: the records before a bad
/// one, then its error.
final class DecodeAhead: @unchecked Sendable {
    /// Below this many batches a second thread costs more than it saves.
    static let batchesMin = 3

    private let firstSequence: UInt64
    private let filter: RecordFilter
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var cursor: BatchCursor
    private var claimed = 0
    private var consumed = 0
    private var lastClaimedByHelper = true
    private var decoded: [Int: HelperResult] = [:]
    private var stopping = false
    private var helperRunning = false

    private enum HelperResult {
        case records([LogRecord], LogError?)
        case failed(LogError)
    }

    init(cursor: BatchCursor, from sequence: UInt64, filter: RecordFilter) {
        self.cursor = cursor
        self.firstSequence = sequence
        self.filter = filter
    }

    func run(_ body: (LogRecord) throws -> Bool) throws {
        helperRunning = true
        DispatchQueue.global(qos: .userInitiated).async { [self] in runHelper() }
        defer { stopHelper() }
        condition.lock()
        while true {
            if consumed < claimed {
                // The helper's batch: wait for it, then deliver its records.
                let index = consumed
                while decoded[index] == nil { condition.wait() }
                let result = decoded.removeValue(forKey: index)!
                consumed += 1
                condition.broadcast()
                condition.unlock()
                switch result {
                case .failed(let error): throw error
                case .records(let records, let failure):
                    for record in records where try !body(record) { return }
                    if let failure { throw failure }
                }
                condition.lock()
            } else {
                // The caller's own turn: claim the next batch and decode it into `body`.
                guard let step = cursor.next() else {
                    condition.unlock()
                    return
                }
                claimed += 1
                consumed += 1
                lastClaimedByHelper = false
                condition.broadcast()
                condition.unlock()
                switch step {
                case .damaged(let error): throw error
                case .batch(let location):
                    let batch = try location.load()
                    if try !batch.forEachRecord(from: batch.skip(before: firstSequence), filter: filter, body) { return }
                }
                condition.lock()
            }
        }
    }

    /// The helper claims a batch only right after one the caller claimed, so that the two share
    /// the decoding when `body` is quick, and the helper works one batch ahead when it is slow.
    private func runHelper() {
        condition.lock()
        while true {
            while !stopping && (lastClaimedByHelper || claimed > consumed) { condition.wait() }
            guard !stopping, let step = cursor.next() else { break }
            let index = claimed
            claimed += 1
            lastClaimedByHelper = true
            condition.unlock()
            let result: HelperResult
            switch step {
            case .damaged(let error):
                result = .failed(error)
            case .batch(let location):
                do {
                    let batch = try location.load()
                    let (records, failure) = batch.decodeAll(from: batch.skip(before: firstSequence), filter: filter)
                    result = .records(records, failure)
                } catch {
                    result = .failed(error)
                }
            }
            condition.lock()
            decoded[index] = result
            condition.broadcast()
            if case .failed = result { break }
            if case .records(_, .some) = result { break }
        }
        helperRunning = false
        condition.broadcast()
        condition.unlock()
    }

    private func stopHelper() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while helperRunning { condition.wait() }
        condition.unlock()
    }
}
