import EventSchemas
import LedgerLog

extension SyntheticMarket {
    /// Where the synthetic market (version 2) a log holds stands: the time of its newest tick, its
    /// symbols in the order the generator names them, and each one's state (`Continuation`) — what
    /// `market simulate` continues from. Ticks of anything else (ingested, benchmark ticks, a
    /// version 1 market) are not its; nil when the log holds none of its ticks.
    public static func standing(in log: any LogReading) throws -> (lastTickMs: Int64, symbols: [String], state: Continuation)? {
        var last: [String: MarketTick] = [:]
        var lastMs: Int64 = .min
        var hourly: [String: [(ms: Int64, mid: Int64)]] = [:]
        try log.forEach(from: 1, filter: RecordFilter(type: MarketTick.type)) { record in
            guard record.id.hasPrefix(Self.versionTwoIdPrefix) else { return true }
            let tick = try EventCatalog.decode(record, as: MarketTick.self)
            last[tick.symbol] = tick
            lastMs = Swift.max(lastMs, record.timestampMs)
            if record.timestampMs % 3_600_000 == 0 { hourly[tick.symbol, default: []].append((record.timestampMs, tick.midE8)) }
            return true
        }
        guard !last.isEmpty else { return nil }
        let symbols = last.keys.sorted { order($0) < order($1) }
        let state = Continuation(
            midsE8: symbols.map { last[$0]!.midE8 }, fundingsE8: symbols.map { last[$0]!.fundingE8 },
            openInterestsE2: symbols.map { last[$0]!.openInterestE2 },
            hourlyMidsE8: symbols.map { symbol in
                let recent = (hourly[symbol] ?? []).filter { $0.ms > lastMs - 25 * 3_600_000 }.map(\.mid)
                return recent.isEmpty ? [last[symbol]!.midE8] : recent
            })
        return (lastMs, symbols, state)
    }

    /// What every event id of a version 2 market starts with.
    static let versionTwoIdPrefix = "sim2-"

    /// A symbol's place among the generator's: the known bases first, then SYN0, SYN1, ….
    static func order(_ symbol: String) -> (Int, Int, String) {
        if let index = bases.firstIndex(of: symbol) { return (0, index, symbol) }
        if symbol.hasPrefix("SYN"), let number = Int(symbol.dropFirst(3)) { return (1, number, symbol) }
        return (2, 0, symbol)
    }
}
