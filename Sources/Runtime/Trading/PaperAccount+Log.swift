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

extension PaperAccount {
    /// The account folded from its run and account streams' records (see `paperAccount`).
    public static func folded(run: [LogRecord], account accountRecords: [LogRecord], startingEquityE6: Int64 = PaperAccount.startingEquityDefaultE6,
                              beforeMs: Int64 = .max) throws -> PaperAccount {
        // From the run stream: each order's leverage, and the stop loss and take profit of the
        // decision that opened it.
        var leverage: [String: Int64] = [:]
        var triggers: [String: (stopLoss: Int64?, takeProfit: Int64?)] = [:]
        for record in run where record.timestampMs < beforeMs {
            switch record.type {
            case OrderDryRun.type:
                let order = try EventCatalog.decode(record, as: OrderDryRun.self)
                leverage[order.orderId] = order.leverage
            case DecisionProposed.type:
                let decision = try EventCatalog.decode(record, as: DecisionProposed.self)
                if decision.action == "open_long" || decision.action == "open_short" {
                    triggers[decision.runId + ".order"] = (decision.stopLossE8, decision.takeProfitE8)
                }
            default:
                break
            }
        }
        var account = PaperAccount(startingEquityE6: startingEquityE6)
        for record in accountRecords where record.timestampMs < beforeMs {
            switch try EventCatalog.decode(record) {
            case let fill as Fill:
                let size = fill.side == "buy" ? fill.sizeE8 : -fill.sizeE8
                let opening = fill.cause == "decision" || fill.cause == nil
                account = account.applying(.fill(asset: fill.asset, sizeE8: size, priceE8: fill.priceE8, feeE6: fill.feeE6,
                                                 leverage: leverage[fill.orderId] ?? 1,
                                                 stopLossE8: opening ? triggers[fill.orderId]?.stopLoss : nil,
                                                 takeProfitE8: opening ? triggers[fill.orderId]?.takeProfit : nil))
            case let marked as AccountMarked:
                // Drawdown is measured on the hourly marks: taken up from the last one.
                account.peakEquityE6 = marked.peakEquityE6
                account.maxDrawdownBp = marked.maxDrawdownBp
                account.maxDrawdownE6 = max(account.maxDrawdownE6, marked.peakEquityE6 - marked.equityE6)
            case let funding as FundingPaid:
                account = account.applying(.funding(asset: funding.asset, amountE6: funding.amountE6))
            case let liquidated as Liquidated:
                // Closed at the mark, without a fee: what `.liquidation` does to each position.
                account = account.applying(.fill(asset: liquidated.asset, sizeE8: -liquidated.positionE8, priceE8: liquidated.markPxE8, feeE6: 0,
                                                 leverage: 1, stopLossE8: nil, takeProfitE8: nil))
            default:
                break
            }
        }
        return account
    }
}
