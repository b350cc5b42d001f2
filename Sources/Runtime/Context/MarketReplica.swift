import EventSchemas
import Foundation
import LedgerLog
import Projections

/// Market memory as of a time: the market read models (`market_ticks`, `market_memory`) held in
/// memory and folded from the log's longest prefix whose market events are all stamped at or
/// before the time (other events — clones, races, runs — are not market data and never end the
/// prefix). Moving forward folds only what is new, so a simulation steps through a day of market
/// at the cost of one fold. Its `throughSequence` is the last market event of the prefix: what the
/// view depends on, whatever other events the log holds between.
public final class MarketReplica {
    private let log: any LogReading
    private let prefix: PrefixLog
    private let runner: ProjectionRunner
    private let projectors: [any Projector] = [MarketTicksProjector(), MarketMemoryProjector()]
    /// Tick candles read for views, kept while the fold leaves them as they are.
    private let candles = TickCandleCache()
    /// Market memory's untimed parts read for views, kept while its fold leaves them as they are.
    private let memoryParts = MarketMemoryCache()
    /// The time the view is for.
    public private(set) var asOfMs: Int64 = .min
    /// The newest market event folded so far.
    public private(set) var newestMarketMs: Int64 = 0
    /// The sequence of the newest listing folded (a universe or the category mapping): what asset
    /// selections are expanded against, so plans are made again when it moves.
    public private(set) var listingSequence: UInt64 = 0

    public init(log: any LogReading) throws {
        self.log = log
        prefix = PrefixLog(log)
        runner = try ProjectionRunner(directory: nil, log: prefix, projectors: projectors)
    }

    /// Whether an event type is market data (read by a market read model).
    public func isMarket(_ type: String) -> Bool { projectors.contains { $0.reads(type) } }

    /// The last log sequence folded.
    public var throughSequence: UInt64 { lastMarketSequence }
    private var lastMarketSequence: UInt64 = 0

    /// Records read from the log and not yet folded, in order: the log is read in long runs, not
    /// once per step (a step's read would decode whole batches only to stop a few records in).
    private var ahead: [LogRecord] = []
    private var aheadIndex = 0
    /// The last sequence the read ahead covers (records in a span known to hold no market event
    /// are covered without being read).
    private var aheadThrough: UInt64 = 0
    /// Spans of the log known to hold no market event (a session's own appends), in order.
    private let unread = SequenceSpans()
    /// How many records one read brings ahead.
    static let readAheadRecords = 16_384

    /// Folds every event up to (not including) the first one stamped after `time`. Time only moves forward.
    public func advance(to time: Int64) throws {
        precondition(time >= asOfMs || asOfMs == .min, "a market replica only moves forward in time")
        var last = prefix.through
        var lastMarket = lastMarketSequence
        var newest = newestMarketMs
        var lastType = ""
        var market = false
        var listing = false
        var listingSequence = self.listingSequence
        var window: [LogRecord] = []
        while true {
            if aheadIndex == ahead.count {
                last = max(last, aheadThrough)
                try readAhead(after: last)
                if ahead.isEmpty {
                    last = max(last, aheadThrough)
                    break
                }
            }
            let record = ahead[aheadIndex]
            if record.type != lastType {
                lastType = record.type
                market = isMarket(record.type)
                listing = record.type == HyperliquidUniverse.type || record.type == HyperliquidCategories.type
            }
            if market {
                guard record.timestampMs <= time else { break }
                newest = max(newest, record.timestampMs)
                lastMarket = record.sequence
                if listing { listingSequence = record.sequence }
            }
            window.append(record)
            aheadIndex += 1
            last = record.sequence
        }
        try candles.folding(window)
        memoryParts.folding(window)
        prefix.windowStart = prefix.through + 1
        prefix.through = last
        prefix.window = window
        lastMarketSequence = lastMarket
        newestMarketMs = newest
        self.listingSequence = listingSequence
        try runner.catchUp()
        prefix.window = []
        prefix.windowStart = prefix.through + 1
        asOfMs = time
    }

    /// Says that the log's records in `span` hold no market event (records the caller appended
    /// itself): moving forward passes over them without reading them. Any thread may call it; a
    /// span not yet known when the market moves past it is read, which changes nothing but speed.
    public func passOver(_ span: ClosedRange<UInt64>) {
        unread.add(span)
    }

    private func readAhead(after sequence: UInt64) throws {
        ahead.removeAll(keepingCapacity: true)
        aheadIndex = 0
        aheadThrough = sequence
        try log.refresh()
        var from = sequence + 1
        while ahead.count < Self.readAheadRecords {
            if let skipped = unread.span(containing: from) {
                aheadThrough = skipped.upperBound
                from = skipped.upperBound + 1
                continue
            }
            let stop = unread.start(after: from)
            var more = false
            try log.forEach(from: from, filter: .all) { record in
                if let stop, record.sequence >= stop {
                    more = true
                    return false
                }
                ahead.append(record)
                aheadThrough = record.sequence
                return ahead.count < Self.readAheadRecords
            }
            guard more else { break }
            from = stop!
        }
    }

    /// The newest market event's time in the whole log (nil when it holds none), without folding:
    /// what a real-time runtime steps towards. Reads only what was appended since the last look.
    public func newestInLog() throws -> Int64? {
        try log.refresh()
        var newest = scannedNewest
        var lastType = ""
        var market = false
        try log.forEach(from: scannedThrough + 1, filter: .all) { record in
            if record.type != lastType {
                lastType = record.type
                market = isMarket(record.type)
            }
            if market { newest = max(newest ?? record.timestampMs, record.timestampMs) }
            scannedThrough = record.sequence
            return true
        }
        scannedNewest = newest
        return newest
    }

    private var scannedThrough: UInt64 = 0
    private var scannedNewest: Int64?

    /// Folds the whole log and takes the newest market event's time as the view's time.
    public func advanceToNewest() throws {
        try advance(to: .max)
        asOfMs = newestMarketMs
    }

    /// Reads market memory as folded.
    public func withMemory<Result>(_ body: (AssetMemory) throws -> Result) throws -> Result {
        try runner.withAssetMemory { memory in
            var memory = memory
            memory.candleCache = candles
            memory.memoryCache = memoryParts
            return try body(memory)
        }
    }
}

/// Sequence spans, kept disjoint and in order, shared between threads.
final class SequenceSpans: @unchecked Sendable {
    private let lock = NSLock()
    private var spans: [ClosedRange<UInt64>] = []

    func add(_ span: ClosedRange<UInt64>) {
        lock.withLock {
            spans.insert(span, at: firstIndex { $0.lowerBound > span.lowerBound })
            spans = spans.reduce(into: []) { merged, next in
                if let last = merged.last, next.lowerBound <= last.upperBound &+ 1 {
                    merged[merged.count - 1] = last.lowerBound...max(last.upperBound, next.upperBound)
                } else {
                    merged.append(next)
                }
            }
        }
    }

    /// The span holding `sequence`, if any.
    func span(containing sequence: UInt64) -> ClosedRange<UInt64>? {
        lock.withLock {
            let index = firstIndex { $0.upperBound >= sequence }
            return index < spans.count && spans[index].contains(sequence) ? spans[index] : nil
        }
    }

    /// Where the first span beginning after `sequence` begins, if any.
    func start(after sequence: UInt64) -> UInt64? {
        lock.withLock {
            let index = firstIndex { $0.lowerBound > sequence }
            return index < spans.count ? spans[index].lowerBound : nil
        }
    }

    /// The first span for which `isPast` holds, by binary search (`isPast` flips once, false to true).
    private func firstIndex(_ isPast: (ClosedRange<UInt64>) -> Bool) -> Int {
        var low = 0, high = spans.count
        while low < high {
            let middle = (low + high) / 2
            if isPast(spans[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// A log seen only up to `through`.
final class PrefixLog: LogReading, @unchecked Sendable {
    let base: any LogReading
    var through: UInt64 = 0
    /// The records just added to the prefix, from `windowStart` on, held in memory: a fold reading
    /// them gets them from here rather than decoding them from the log again. Spans passed over
    /// are left out (they hold nothing a market fold reads).
    var window: [LogRecord] = []
    var windowStart: UInt64 = 1

    init(_ base: any LogReading) {
        self.base = base
    }

    var head: LogHead {
        get throws { LogHead(sequence: through, chain: .genesis) }
    }

    func forEach(from sequence: UInt64, filter: RecordFilter, _ body: (LogRecord) throws -> Bool) throws {
        guard sequence <= through else { return }
        if sequence >= windowStart {
            // In order, with the spans passed over left out.
            var low = 0, high = window.count
            while low < high {
                let middle = (low + high) / 2
                if window[middle].sequence < sequence { low = middle + 1 } else { high = middle }
            }
            for record in window[low...] where filter.matches(record) {
                if try !body(record) { return }
            }
            return
        }
        let limit = through
        try base.forEach(from: sequence, filter: filter) { record in
            guard record.sequence <= limit else { return false }
            return try body(record) && record.sequence < limit
        }
    }
}
