/// When the log calls fsync, and so when an append is acknowledged.
public enum FsyncPolicy: Sendable, Equatable, CustomStringConvertible {
    /// Each append is written and fsynced on its own before it returns.
    case always
    /// Group commit: appends arriving within `maxDelayMilliseconds` of each other (or until
    /// `maxRecords` wait) share one batch and one fsync; each returns after that fsync.
    case batch(maxDelayMilliseconds: Int, maxRecords: Int)
    /// Never fsync: a crash of the machine (not of the process) can lose acknowledged appends. Tests only.
    case none

    public static let batchDefault = FsyncPolicy.batch(
        maxDelayMilliseconds: LogLimits.groupCommitDelayMillisecondsDefault, maxRecords: LogLimits.groupCommitRecordsDefault)

    /// Parses `always`, `batch` or `none`.
    public init?(name: String) {
        switch name {
        case "always": self = .always
        case "batch": self = .batchDefault
        case "none": self = .none
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .always: "always"
        case .batch: "batch"
        case .none: "none"
        }
    }
}

/// How a file log is opened.
public struct FileLogOptions: Sendable {
    public var fsync: FsyncPolicy
    /// A segment is closed and a new one begun when the next batch would take it past this size.
    public var segmentBytesMax: Int
    /// Called on the committer thread after each write that makes records durable, with the last one.
    public var onDurable: (@Sendable (UInt64) -> Void)?

    public init(fsync: FsyncPolicy = .batchDefault, segmentBytesMax: Int = LogLimits.segmentBytesDefault,
                onDurable: (@Sendable (UInt64) -> Void)? = nil) {
        precondition(segmentBytesMax >= LogLimits.segmentBytesMin, "segments of at least \(LogLimits.segmentBytesMin) bytes")
        self.fsync = fsync
        self.segmentBytesMax = segmentBytesMax
        self.onDurable = onDurable
    }
}

/// What opening a log found and did at its tail.
public struct RecoveryReport: Sendable, Equatable {
    /// The segment a torn tail was cut from, if any.
    public var segment: String?
    /// Where the cut began, and how many bytes were moved to `quarantineFile`.
    public var cutOffset: Int?
    public var cutBytes: Int = 0
    public var quarantineFile: String?
    /// Whether the writer's stream checkpoint could be used (otherwise the log was scanned).
    public var usedCheckpoint = false
    /// The sequence the checkpoint used was written at.
    public var checkpointSequence: UInt64?
    public var recordsScanned = 0

    public var cutSomething: Bool { cutBytes > 0 }
}
