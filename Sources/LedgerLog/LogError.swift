#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything the log can refuse or fail at, written for the person who has to act on it.
public enum LogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another process (or another writer in this one) holds the log's writer lock.
    case locked(directory: String, holder: String)
    /// A draft is not acceptable; nothing of the append was written.
    case invalidDraft(index: Int, field: String, reason: String)
    /// The append is larger than one batch may be; appends are atomic, so it must be split.
    case appendTooLarge(records: Int, bytes: Int)
    /// The stream is not at the version the append required; nothing was written.
    case wrongExpectedVersion(stream: String, expected: ExpectedVersion, actual: UInt64)
    /// Some drafts of the append are already in the log and some are not; nothing was written.
    case partialDuplicate(ids: [String])
    /// Stored bytes fail a check: a CRC, the hash chain, the framing or a record.
    case corrupt(file: String, offset: Int, sequence: UInt64?, reason: String)
    /// The log was written by a newer format than this build reads.
    case unsupportedFormat(file: String, offset: Int, version: UInt16)
    /// A system call failed.
    case io(operation: String, path: String, errno: Int32)
    /// The writer hit an I/O or fsync error earlier and accepts nothing more.
    case writerFailed(reason: String)
    /// The log was closed.
    case closed
    /// Import needs an empty data directory.
    case notEmpty(directory: String)
    /// A line of an import file is not acceptable; nothing was imported.
    case badImport(file: String, line: Int, reason: String)
    /// A sequence outside the log was asked for.
    case sequenceOutOfRange(requested: UInt64, head: UInt64)

    public var description: String {
        switch self {
        case let .locked(directory, holder):
            return "the log in \(directory) is open for writing by \(holder); stop that writer, or read without writing"
        case let .invalidDraft(index, field, reason):
            return "event \(index) of the append: field \(field): \(reason); nothing was written"
        case let .appendTooLarge(records, bytes):
            return "an append of \(records) records and \(bytes) bytes exceeds one batch (\(LogLimits.batchRecordsMax) records, \(LogLimits.batchBytesMax) bytes); split it into smaller appends"
        case let .wrongExpectedVersion(stream, expected, actual):
            return "stream \(stream) is at version \(actual), the append expected \(expected); nothing was written: read the stream and decide again"
        case let .partialDuplicate(ids):
            return "the append mixes events already in the log (\(ids.prefix(5).joined(separator: ", "))) with new ones; nothing was written: retry exactly the original append, or append only new events"
        case let .corrupt(file, offset, sequence, reason):
            let at = sequence.map { ", first bad sequence \($0)" } ?? ""
            return "damaged log: \(file) at byte \(offset)\(at): \(reason); run `clash log verify` for the full report, `clash log repair` keeps everything before the damage and moves the rest to quarantine"
        case let .unsupportedFormat(file, offset, version):
            return "\(file) at byte \(offset) has log format version \(version); this build reads version \(LogFormat.version): use a newer clash"
        case let .io(operation, path, errno):
            return "\(operation) \(path) failed: \(String(cString: strerror(errno))) (errno \(errno))"
        case let .writerFailed(reason):
            return "the log writer stopped after an earlier failure (\(reason)); nothing more is accepted: close and reopen the log, which recovers it"
        case .closed:
            return "the log is closed"
        case let .notEmpty(directory):
            return "\(directory) already holds a log; import into an empty data directory"
        case let .badImport(file, line, reason):
            return "\(file) line \(line): \(reason); nothing was imported"
        case let .sequenceOutOfRange(requested, head):
            return "sequence \(requested) is outside the log (head \(head))"
        }
    }
}
