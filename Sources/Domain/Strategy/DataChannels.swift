/// The channels a Data Stream block can read, per source, with their options and limits (rule v1).
public enum DataChannels {
    /// Channel names by source.
    public static let bySource: [String: [String]] = [
        "hyperliquid": ["mids", "candles", "liquidity", "funding", "volatility", "positioning"],
        "polymarket": ["immediate", "later", "recently_closed", "discovery"],
        "defillama": ["capital_base", "flows", "throughput"],
    ]

    /// Candle intervals, their length, and the most candles a packet carries of each.
    public static let candleIntervals: [String: (milliseconds: Int64, lookbackMax: Int)] = [
        "1m": (60_000, 30), "5m": (300_000, 24), "15m": (900_000, 16), "1h": (3_600_000, 24), "4h": (14_400_000, 12),
    ]

    /// The most markets a list channel (discovery, recently_closed) carries.
    public static let marketListMax = 5

    /// Whether a channel takes `lookback` (a count) and whether it takes `interval`.
    static func takesLookback(_ name: String) -> Bool { ["candles", "discovery", "recently_closed"].contains(name) }
    static func takesInterval(_ name: String) -> Bool { name == "candles" }

    /// The most a channel's lookback may be, and what it is when the graph names none.
    static func lookbackMax(_ name: String, interval: String?) -> Int {
        name == "candles" ? candleIntervals[interval ?? ""]?.lookbackMax ?? 0 : marketListMax
    }
}

/// Parses cadences: a whole number and a unit, `s`, `m` or `h` (`90s`, `5m`, `1h`).
public enum Cadence {
    public static let millisecondsMin: Int64 = 60_000
    public static let millisecondsMax: Int64 = 86_400_000

    /// The cadence in milliseconds, or nil when the text is no cadence.
    public static func milliseconds(_ text: String) -> Int64? {
        guard let unit = text.last, let count = Int64(text.dropLast()), count > 0, count < 1_000_000 else { return nil }
        switch unit {
        case "s": return count * 1_000
        case "m": return count * 60_000
        case "h": return count * 3_600_000
        default: return nil
        }
    }
}
