import Foundation
import LedgerLog
import Projections

/// Market memory as of a time: the market read models (`market_ticks`, `market_memory`) held in
/// memory and folded from the log's longest prefix whose events are all stamped at or before the
/// time. Moving forward folds only what is new, so a simulation steps through a day of market at
/// the cost of one fold. Its `throughSequence` is the last event the market view reads.
public final class MarketReplica {
    private let log: any LogReading
    private let prefix: PrefixLog
    private let runner: ProjectionRunner
    /// The time the view is for.
    public private(set) var asOfMs: Int64 = .min

    public init(log: any LogReading) throws {
        self.log = log
        prefix = PrefixLog(log)
        runner = try ProjectionRunner(directory: nil, log: prefix, projectors: [MarketTicksProjector(), MarketMemoryProjector()])
    }

    /// The last log sequence folded.
    public var throughSequence: UInt64 { prefix.through }

    /// Folds every event up to (not including) the first one stamped after `time`. Time only moves forward.
    public func advance(to time: Int64) throws {
        precondition(time >= asOfMs || asOfMs == .min, "a market replica only moves forward in time")
        try log.refresh()
        var last = prefix.through
        try log.forEach(from: last + 1, filter: .all) { record in
            guard record.timestampMs <= time else { return false }
            last = record.sequence
            return true
        }
        prefix.through = last
        try runner.catchUp()
        asOfMs = time
    }

    /// Reads market memory as folded.
    public func withMemory<Result>(_ body: (AssetMemory) throws -> Result) throws -> Result {
        try runner.withAssetMemory(body)
    }

    /// The newest time market memory holds, as folded (0 when empty).
    public func newestMs() throws -> Int64 { try withMemory { try $0.newestMs() } }
}

/// A log seen only up to `through`.
final class PrefixLog: LogReading, @unchecked Sendable {
    let base: any LogReading
    var through: UInt64 = 0

    init(_ base: any LogReading) {
        self.base = base
    }

    var head: LogHead {
        get throws { LogHead(sequence: through, chain: .genesis) }
    }

    func forEach(from sequence: UInt64, filter: RecordFilter, _ body: (LogRecord) throws -> Bool) throws {
        guard sequence <= through else { return }
        let limit = through
        try base.forEach(from: sequence, filter: filter) { record in
            guard record.sequence <= limit else { return false }
            return try body(record) && record.sequence < limit
        }
    }
}
