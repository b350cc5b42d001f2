/// A clone's paper account in one competition (an audition, a race): cash, one position per
/// asset, and the figures a ranking needs. USD × 10^6, sizes × 10^8 (long > 0), prices × 10^8.
/// Changed only by `apply`, one fill, funding payment or liquidation at a time.
public struct PaperAccount: Sendable, Equatable {
    public struct Position: Sendable, Equatable {
        public var sizeE8: Int64
        public var entryPxE8: Int64
        public var leverage: Int64
        public var stopLossE8: Int64?
        public var takeProfitE8: Int64?

        public init(sizeE8: Int64, entryPxE8: Int64, leverage: Int64, stopLossE8: Int64? = nil, takeProfitE8: Int64? = nil) {
            self.sizeE8 = sizeE8
            self.entryPxE8 = entryPxE8
            self.leverage = leverage
            self.stopLossE8 = stopLossE8
            self.takeProfitE8 = takeProfitE8
        }

        public var isLong: Bool { sizeE8 > 0 }
        /// The margin it holds: entry notional / leverage, rounded up.
        public var marginE6: Int64 {
            Int64(FillPolicy.ceilDiv(Int128(FillPolicy.notional(sizeE8: sizeE8, priceE8: entryPxE8, up: true)), Int128(max(leverage, 1))))
        }

        /// The trigger a mid sets off: a long's stop loss at or below it, its take profit at or
        /// above it; a short's the other way round. The stop wins when both would.
        public func trigger(midE8: Int64) -> Trigger? {
            if let stop = stopLossE8, isLong ? midE8 <= stop : midE8 >= stop { return .stopLoss }
            if let target = takeProfitE8, isLong ? midE8 >= target : midE8 <= target { return .takeProfit }
            return nil
        }

        /// Unrealized PnL at `markE8`, rounded down.
        public func unrealizedE6(markE8: Int64) -> Int64 {
            let pnl = Int128(sizeE8) * (Int128(markE8) - Int128(entryPxE8))
            let scale: Int128 = 10_000_000_000
            return Int64(pnl >= 0 ? pnl / scale : -FillPolicy.ceilDiv(-pnl, scale))
        }
    }

    /// A stop loss or take profit, each closing the position with a fill of its own.
    public enum Trigger: String, Sendable, Equatable {
        case stopLoss = "stop_loss", takeProfit = "take_profit"
    }

    public var startingEquityE6: Int64
    public var cashE6: Int64
    public var positions: [String: Position] = [:]
    public var realizedE6: Int64 = 0
    public var feesE6: Int64 = 0
    public var fundingE6: Int64 = 0
    public var peakEquityE6: Int64
    /// The largest fall from a peak, basis points of the peak, as marked (hourly, by the runtime).
    public var maxDrawdownBp: Int64 = 0
    /// The same fall exactly, USD × 10^6 below the peak: what a race ranks on (ranking policy v2).
    public var maxDrawdownE6: Int64 = 0

    /// 10,000 USDC, the equity every racer starts with.
    public static let startingEquityDefaultE6: Int64 = 10_000_000_000

    public init(startingEquityE6: Int64 = PaperAccount.startingEquityDefaultE6) {
        self.startingEquityE6 = startingEquityE6
        cashE6 = startingEquityE6
        peakEquityE6 = startingEquityE6
    }

    /// Cash plus every position marked at `marks` (a position without a mark at its entry).
    public func equityE6(marks: [String: Int64]) -> Int64 {
        cashE6 + positions.reduce(0) { $0 + $1.value.unrealizedE6(markE8: marks[$1.key] ?? $1.value.entryPxE8) }
    }

    public var marginUsedE6: Int64 { positions.values.reduce(0) { $0 + $1.marginE6 } }

    /// Sum of the positions' entry notionals.
    public var openNotionalE6: Int64 { positions.values.reduce(0) { $0 + FillPolicy.notional(sizeE8: $1.sizeE8, priceE8: $1.entryPxE8) } }

    /// Return on the starting equity, basis points, rounded toward −∞.
    public func returnBp(marks: [String: Int64]) -> Int64 {
        Self.basisPoints(equityE6(marks: marks) - startingEquityE6, of: startingEquityE6)
    }

    /// `amount` in basis points of `start` (> 0), rounded toward −∞: a return as accounts, read
    /// models and tables show it (ranking compares the exact amounts, never this).
    public static func basisPoints(_ amount: Int64, of start: Int64) -> Int64 {
        let change = Int128(amount) * 10_000
        return Int64(change >= 0 ? change / Int128(start) : -FillPolicy.ceilDiv(-change, Int128(start)))
    }

    /// What changes an account.
    public enum Change: Sendable, Equatable {
        /// A fill: `sizeE8` signed (a buy > 0) at `priceE8`, paying `feeE6`; opening sets the
        /// leverage and triggers, a fill against the position reduces or closes it.
        case fill(asset: String, sizeE8: Int64, priceE8: Int64, feeE6: Int64, leverage: Int64, stopLossE8: Int64?, takeProfitE8: Int64?)
        /// An hour's funding: the cash change (negative: paid).
        case funding(asset: String, amountE6: Int64)
        /// Liquidation: every position closed at its mark.
        case liquidation(marks: [String: Int64])
    }

    /// The account after a change. (Drawdown is marked apart, on the hourly marks: `markDrawdown`.)
    public func applying(_ change: Change) -> PaperAccount {
        var account = self
        switch change {
        case let .fill(asset, size, price, fee, leverage, stopLoss, takeProfit):
            account.cashE6 -= fee
            account.feesE6 += fee
            if var position = account.positions[asset], (position.sizeE8 > 0) != (size > 0) {
                // Against the position: realize the part closed.
                let closed = min(abs(size), abs(position.sizeE8)) * (position.sizeE8 > 0 ? 1 : -1)
                let realized = PaperAccount.Position(sizeE8: closed, entryPxE8: position.entryPxE8, leverage: 1).unrealizedE6(markE8: price)
                account.cashE6 += realized
                account.realizedE6 += realized
                position.sizeE8 -= closed
                account.positions[asset] = position.sizeE8 == 0 ? nil : position
            } else if var position = account.positions[asset] {
                // With the position: the entry becomes the size-weighted mean, rounded against the account.
                let total = Int128(position.sizeE8) + Int128(size)
                let cost = Int128(position.sizeE8) * Int128(position.entryPxE8) + Int128(size) * Int128(price)
                position.entryPxE8 = Int64(size > 0 ? FillPolicy.ceilDiv(cost, total) : cost / total)
                position.sizeE8 = Int64(total)
                position.leverage = leverage
                position.stopLossE8 = stopLoss ?? position.stopLossE8
                position.takeProfitE8 = takeProfit ?? position.takeProfitE8
                account.positions[asset] = position
            } else {
                account.positions[asset] = Position(sizeE8: size, entryPxE8: price, leverage: leverage, stopLossE8: stopLoss, takeProfitE8: takeProfit)
            }
        case let .funding(_, amount):
            account.cashE6 += amount
            account.fundingE6 += amount
        case let .liquidation(liquidationMarks):
            for (asset, position) in account.positions {
                let realized = position.unrealizedE6(markE8: liquidationMarks[asset] ?? position.entryPxE8)
                account.cashE6 += realized
                account.realizedE6 += realized
            }
            account.positions = [:]
        }
        return account
    }

    /// Records a new peak or a deeper drawdown at these marks.
    public mutating func markDrawdown(marks: [String: Int64]) {
        let equity = equityE6(marks: marks)
        if equity > peakEquityE6 { peakEquityE6 = equity }
        maxDrawdownE6 = max(maxDrawdownE6, peakEquityE6 - equity)
        guard peakEquityE6 > 0 else { return }
        let drawdown = Int64(FillPolicy.ceilDiv(Int128(peakEquityE6 - equity) * 10_000, Int128(peakEquityE6)))
        maxDrawdownBp = max(maxDrawdownBp, drawdown)
    }

    /// Whether equity at `marks` is below the maintenance margin of every position (each asset's
    /// maximum leverage from `maxLeverage`).
    public func isLiquidatable(marks: [String: Int64], maxLeverage: [String: Int64]) -> Bool {
        guard !positions.isEmpty else { return false }
        let maintenance = positions.reduce(Int64(0)) { total, entry in
            total + FillPolicy.maintenanceMargin(sizeE8: entry.value.sizeE8, markPxE8: marks[entry.key] ?? entry.value.entryPxE8,
                                                 maxLeverage: maxLeverage[entry.key] ?? entry.value.leverage)
        }
        return equityE6(marks: marks) < maintenance
    }
}
