import Domain
import EventSchemas
import Foundation
import LedgerLog

extension LogReading {
    /// A clone's paper account in a competition, folded from the log alone: the fills, funding
    /// payments, liquidations and hourly marks (peak and drawdown) of its account stream, with each position's leverage from its
    /// dry-run order and its stop loss and take profit from the decision that opened it. The same
    /// `PaperAccount` rules the runtime applied, so the figures match; a run continues from it.
    /// With `beforeMs`, only what happened before that time: where a run starting then takes up.
    public func paperAccount(cloneId: String, competitionId: String, startingEquityE6: Int64 = PaperAccount.startingEquityDefaultE6,
                             beforeMs: Int64 = .max) throws -> PaperAccount {
        let streams = try read(streams: [Streams.run(clone: cloneId, competition: competitionId), Streams.account(clone: cloneId, competition: competitionId)])
        return try PaperAccount.folded(run: streams[Streams.run(clone: cloneId, competition: competitionId)] ?? [],
                                       account: streams[Streams.account(clone: cloneId, competition: competitionId)] ?? [],
                                       startingEquityE6: startingEquityE6, beforeMs: beforeMs)
    }

    /// The records of each of `streams` from `sequence` on, in order, read in one pass over the log.
    public func read(streams: Set<String>, from sequence: UInt64 = 1) throws -> [String: [LogRecord]] {
        var found: [String: [LogRecord]] = [:]
        try forEach(from: sequence, filter: .all) { record in
            if streams.contains(record.stream) { found[record.stream, default: []].append(record) }
            return true
        }
        return found
    }
}
