import Foundation

extension LogReading {
    /// A clone's paper account in a competition, folded from the log alone: the fills, funding
    /// payments and liquidations of its account stream, with each position's leverage from its
    /// dry-run order. The same `PaperAccount` rules the runtime applied, so the figures match.
    public func paperAccount(cloneId: String, competitionId: String,
                             startingEquityE6: Int64 = PaperAccount.startingEquityDefaultE6) throws -> PaperAccount {
        var leverage: [String: Int64] = [:]
        for record in try read(stream: "run.\(cloneId).\(competitionId)") where record.type == OrderDryRun.type {
            let order = try EventCatalog.decode(record, as: OrderDryRun.self)
            leverage[order.orderId] = order.leverage
        }
        var account = PaperAccount(startingEquityE6: startingEquityE6)
        for record in try read(stream: "account.\(cloneId).\(competitionId)") {
            switch try EventCatalog.decode(record) {
            case let fill as Fill:
                let size = fill.side == "buy" ? fill.sizeE8 : -fill.sizeE8
                account = account.applying(.fill(asset: fill.asset, sizeE8: size, priceE8: fill.priceE8, feeE6: fill.feeE6,
                                                 leverage: leverage[fill.orderId] ?? 1, stopLossE8: nil, takeProfitE8: nil), marks: [:])
            case let funding as FundingPaid:
                account = account.applying(.funding(asset: funding.asset, amountE6: funding.amountE6), marks: [:])
            case let liquidated as Liquidated:
                // Closed at the mark, without a fee: what `.liquidation` does to each position.
                account = account.applying(.fill(asset: liquidated.asset, sizeE8: -liquidated.positionE8, priceE8: liquidated.markPxE8, feeE6: 0,
                                                 leverage: 1, stopLossE8: nil, takeProfitE8: nil), marks: [:])
            default:
                break
            }
        }
        return account
    }
}
