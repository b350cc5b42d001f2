/// The format version this build writes and reads.
public enum LogFormat {
    public static let version: UInt16 = 1
}

/// Every limit of the log, named in one place.
public enum LogLimits {
    /// Largest payload (canonical JSON) of one event.
    public static let payloadBytesMax = 1 << 20
    /// Largest canonical record: the payload plus an envelope of names of at most `nameBytesMax`
    /// (each escaped to at most six bytes per byte) and numbers.
    public static let recordBytesMax = payloadBytesMax + 6 * 5 * nameBytesMax + 256
    /// The most a record's envelope adds to its payload and (escaped) names: keys, quotes and
    /// punctuation (116 bytes), four numbers at their longest (70), and the newline.
    public static let envelopeBytesMax = 200
    /// Largest uncompressed batch; a batch never holds more.
    public static let batchBytesMax = 16 << 20
    /// Most records in one batch.
    public static let batchRecordsMax = 65_536
    /// Longest event id, type or stream name, in UTF-8 bytes.
    public static let nameBytesMax = 256
    /// Default size at which a segment is closed and a new one begun.
    public static let segmentBytesDefault = 64 << 20
    /// Smallest segment size a log may be configured with.
    public static let segmentBytesMin = 4096
    /// A retried append is recognised by event id among at least this many latest events.
    public static let idempotencyWindowEvents = 100_000
    /// Group commit: an append waits at most this long for others to share its fsync.
    public static let groupCommitDelayMillisecondsDefault = 2
    /// Group commit: a batch is written at once when this many records are waiting.
    public static let groupCommitRecordsDefault = 32_768

    static func checkRelations() {
        precondition(recordBytesMax < batchBytesMax, "a record must fit in a batch")
        precondition(segmentBytesMin > SegmentHeader.frameBytes + BatchHeader.frameBytes)
        precondition(groupCommitRecordsDefault <= batchRecordsMax)
    }
}
