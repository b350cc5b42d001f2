/// The candle intervals market memory keeps, shortest first.
public enum CandleIntervals {
    public static let all: [(name: String, milliseconds: Int64)] = [
        ("1m", 60_000), ("5m", 300_000), ("15m", 900_000), ("1h", 3_600_000), ("4h", 14_400_000),
    ]

    /// The start of the interval holding `ms` (floored, also before 1970).
    @inline(__always)
    public static func floor(_ ms: Int64, _ length: Int64) -> Int64 {
        ms - ((ms % length) + length) % length
    }
}
