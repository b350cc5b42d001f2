import Canonical

/// What one run sees: a read plan's channels of one asset as of a time, as canonical JSON bytes
/// and their SHA-256. A pure function of the plan and the market as of the time, so the same log
/// prefix and time give the same bytes on any machine.
///
///     {"as_of_ms":…,"asset":{…},"channels":{"hyperliquid.mids":{"data":{…},"data_ms":…,"stale":false},…},
///      "packet_version":1,"through_sequence":…}
///
/// Rule v1: each channel carries its data's time; a channel with nothing fresher than its window
/// is marked stale (its last data kept, or null), never silently empty. Windows: mids 2 × the
/// cadence (at least 2 minutes); candles 2 × the cadence or 3 intervals, whichever is longer;
/// liquidity, funding, volatility and positioning 2 hours; Polymarket 24 hours; DefiLlama 48
/// hours (never less than 2 × the cadence). A channel's data is at most `channelBytesMax`: a list
/// keeps its newest items that fit and says `truncated`.
public struct ContextPacket: Sendable, Equatable {
    public static let version = 1
    public static let channelBytesMax = 16_384

    public var bytes: [UInt8]
    /// SHA-256 of `bytes`, lowercase hex.
    public var hash: String
    /// Keys of the channels marked stale.
    public var staleChannels: [String]

    /// The packet of `plan` over `view`; `throughSequence` is the last log sequence the market data
    /// was folded through.
    public static func build(plan: ReadPlan, view: AssetView, throughSequence: UInt64) -> ContextPacket {
        precondition(plan.asset == view.symbol, "a packet is built from its own asset's view")
        var writer = CanonicalJSONWriter(capacity: 4_096)
        var stale: [String] = []
        writer.beginObject()
        writer.key("as_of_ms"); writer.int(view.asOfMs)
        writer.key("asset"); writer.raw(view.header)
        writer.key("channels")
        writer.beginObject()
        for channel in plan.channels {
            let (data, dataMs, truncated) = cachedContent(channel, view)
            let isStale = dataMs.map { view.asOfMs - $0 > window(channel, cadenceMs: plan.cadenceMs) } ?? true
            if isStale { stale.append(channel.key) }
            writer.key(channel.key)
            writer.beginObject()
            writer.key("data")
            if let data { writer.raw(data) } else { writer.null() }
            writer.key("data_ms")
            if let dataMs { writer.int(dataMs) } else { writer.null() }
            writer.key("stale"); writer.bool(isStale)
            if truncated { writer.key("truncated"); writer.bool(true) }
            writer.endObject()
        }
        writer.endObject()
        writer.key("packet_version"); writer.int(version)
        writer.key("through_sequence"); writer.uint(throughSequence)
        writer.endObject()
        let bytes = writer.bytes
        return ContextPacket(bytes: bytes, hash: ContentHash.of(bytes), staleChannels: stale)
    }

    /// How old a channel's data may be before it is stale.
    static func window(_ channel: PlannedChannel, cadenceMs: Int64) -> Int64 {
        let hour: Int64 = 3_600_000
        let twoCadences = 2 * cadenceMs
        switch (channel.source, channel.name) {
        case ("hyperliquid", "mids"): return max(twoCadences, 120_000)
        case ("hyperliquid", "candles"): return max(twoCadences, 3 * (DataChannels.candleIntervals[channel.interval ?? ""]?.milliseconds ?? hour))
        case ("hyperliquid", _): return max(twoCadences, 2 * hour)
        case ("polymarket", _): return max(twoCadences, 24 * hour)
        default: return max(twoCadences, 48 * hour)
        }
    }

    /// `content`, put together once per view and channel.
    static func cachedContent(_ channel: PlannedChannel, _ view: AssetView) -> (data: [UInt8]?, dataMs: Int64?, truncated: Bool) {
        let lookback = channel.lookback ?? 0
        if let built = view.built.contents[channel.key]?[lookback] { return built }
        let built = content(channel, view)
        view.built.contents[channel.key, default: [:]][lookback] = built
        return built
    }

    /// The channel's data, its time, and whether a list was cut to fit.
    static func content(_ channel: PlannedChannel, _ view: AssetView) -> (data: [UInt8]?, dataMs: Int64?, truncated: Bool) {
        switch channel.name {
        case "candles":
            let all = view.candles[channel.interval ?? ""] ?? []
            let (bytes, truncated) = list(all.suffix(channel.lookback ?? all.count).map(\.bytes))
            return (bytes, all.last?.openMs, truncated)
        case "discovery", "recently_closed":
            let all = view.markets[channel.name] ?? []
            let chosen = all.prefix(channel.lookback ?? all.count)
            let (bytes, truncated) = list(chosen.map(\.bytes), keepingFirst: true)
            return (bytes, chosen.map(\.ts).max(), truncated)
        default:
            let section = view.sections[channel.name]
            return (section?.bytes, section?.dataMs, false)
        }
    }

    /// A JSON array of canonical items within `channelBytesMax`: the newest (last) items that fit,
    /// or with `keepingFirst` the first ones (lists ranked best first).
    public static func list(_ items: [[UInt8]], keepingFirst: Bool = false) -> ([UInt8], Bool) {
        var kept = items[...]
        var size = 2 + kept.reduce(0) { $0 + $1.count + 1 }
        while size > channelBytesMax, let dropped = keepingFirst ? kept.popLast() : kept.popFirst() {
            size -= dropped.count + 1
        }
        var bytes: [UInt8] = [0x5B]
        for (index, item) in kept.enumerated() {
            if index > 0 { bytes.append(0x2C) }
            bytes += item
        }
        bytes.append(0x5D)
        return (bytes, kept.count < items.count)
    }
}
