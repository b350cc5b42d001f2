import Canonical
import EventSchemas

extension PaperAccount {
    /// What one logged account event does to the account: a fill (with its order's leverage, and
    /// for an opening fill the stop loss and take profit of the decision behind it), a funding
    /// payment, a liquidation (each position closed at the mark, without a fee) or an hourly mark
    /// (the peak and drawdown taken up from it). The one rule behind every account folded from the
    /// log — the runtime taking a run up, `accounts show`, the trading read model. Other events
    /// change nothing.
    public func applying(logged event: any CatalogEvent, leverage: (_ orderId: String) throws -> Int64,
                         triggers: (_ orderId: String) -> (stopLoss: Int64?, takeProfit: Int64?)? = { _ in nil }) rethrows -> PaperAccount {
        var account = self
        switch event {
        case let fill as Fill:
            let size = fill.side == "buy" ? fill.sizeE8 : -fill.sizeE8
            let opening = fill.cause == "decision" || fill.cause == nil
            let set = opening ? triggers(fill.orderId) : nil
            account = account.applying(.fill(asset: fill.asset, sizeE8: size, priceE8: fill.priceE8, feeE6: fill.feeE6,
                                             leverage: try leverage(fill.orderId), stopLossE8: set?.stopLoss, takeProfitE8: set?.takeProfit))
        case let marked as AccountMarked:
            // Drawdown is measured on the hourly marks: taken up from the last one.
            account.peakEquityE6 = marked.peakEquityE6
            account.maxDrawdownBp = marked.maxDrawdownBp
            account.maxDrawdownE6 = max(account.maxDrawdownE6, marked.peakEquityE6 - marked.equityE6)
        case let funding as FundingPaid:
            account = account.applying(.funding(asset: funding.asset, amountE6: funding.amountE6))
        case let liquidated as Liquidated:
            account = account.applying(.fill(asset: liquidated.asset, sizeE8: -liquidated.positionE8, priceE8: liquidated.markPxE8, feeE6: 0,
                                             leverage: 1, stopLossE8: nil, takeProfitE8: nil))
        default:
            break
        }
        return account
    }

    /// A clone's account folded from its run and account streams' records: each order's leverage
    /// and each opening decision's stop loss and take profit from the run stream, then every
    /// account event in order (`applying(logged:)`). With `beforeMs`, only what happened before
    /// that time: where a run starting then takes up.
    public static func folded(run: [LogRecord], account accountRecords: [LogRecord], startingEquityE6: Int64 = PaperAccount.startingEquityDefaultE6,
                              beforeMs: Int64 = .max) throws -> PaperAccount {
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
            account = account.applying(logged: try EventCatalog.decode(record), leverage: { leverage[$0] ?? 1 }, triggers: { triggers[$0] })
        }
        return account
    }
}
