import Clash
import Foundation

/// The data directory as the server reads it: one `ReadOnlyLedger`, used by one request at a time
/// (a ledger is confined to one thread), caught up with the log before each answer.
final class ServedLedger: @unchecked Sendable {
    private let lock = NSLock()
    private let ledger: ReadOnlyLedger

    init(directory: String) throws {
        ledger = try ReadOnlyLedger.open(directory: directory)
    }

    func query<Result>(_ body: (Queries) throws -> Result) throws -> Result {
        try lock.withLock { try body(ledger.queries) }
    }

    /// The log's records from `sequence` on, at most `limit`, exactly as stored.
    func records(from sequence: UInt64, limit: Int) throws -> [LogRecord] {
        try lock.withLock {
            try ledger.log.refresh()
            return try ledger.log.read(from: max(1, sequence), limit: limit)
        }
    }

    func close() { lock.withLock { try? ledger.close() } }
}
