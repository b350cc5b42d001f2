/// The safety gates between a proposed action and a dry-run order (rule v1). Each refusal has a
/// stable code; an action is rejected, never clamped. Gates are checked in this order and the
/// first that refuses is recorded.
///
/// | code | refuses |
/// |---|---|
/// | `kill_switch` | anything while the runtime is halted; an open while it is reduce-only |
/// | `action_not_allowed` | an action the prompt's execution controls do not allow |
/// | `unknown_asset` | an asset market memory does not list, or a delisted one |
/// | `stale_data` | no mid newer than 2 × the cadence |
/// | `rate_limit` | a second order for the asset within half the cadence |
/// | `reduce_only` | a close without a position |
/// | `opposite_position` | an open against the position held (close it first) |
/// | `leverage` | leverage below 1, or above the prompt's or the asset's maximum |
/// | `min_size` | a notional under $10 |
/// | `notional_order` / `notional_account` | above the per-order or per-account limit |
/// | `open_positions` | a new position beyond the maximum open positions |
/// | `price_band` | a stop loss or take profit on the wrong side of the mid, or more than `priceBandBp` from it |
/// | `free_margin` | initial margin above the free margin |
///
/// The codes are those `runtime.gate_rejected` v1 names; the detail says which limit, and whose.
public enum Gates {
    public static let version: Int64 = 1
    /// How far a trigger price may be from the mid: 50%.
    public static let priceBandBp: Int64 = 5_000

    public enum KillSwitch: String, Sendable, Equatable {
        case running, halted, reduceOnly = "reduce_only"
    }

    /// Everything a gate looks at, as of the run's time.
    public struct Context: Sendable {
        public var decision: Decision
        public var asset: String
        public var controls: StrategyGraph.ExecutionControls
        public var cadenceMs: Int64
        public var nowMs: Int64
        /// The asset's listing: nil when market memory does not list it (or it is delisted).
        public var maxLeverage: Int64?
        public var quote: FillPolicy.Quote?
        public var quoteMs: Int64?
        public var account: PaperAccount
        public var marks: [String: Int64]
        public var killSwitch: KillSwitch
        /// When the last order of this clone on this asset was made, if any.
        public var lastOrderMs: Int64?

        public init(decision: Decision, asset: String, controls: StrategyGraph.ExecutionControls, cadenceMs: Int64, nowMs: Int64,
                    maxLeverage: Int64?, quote: FillPolicy.Quote?, quoteMs: Int64?, account: PaperAccount, marks: [String: Int64],
                    killSwitch: KillSwitch = .running, lastOrderMs: Int64? = nil) {
            self.decision = decision
            self.asset = asset
            self.controls = controls
            self.cadenceMs = cadenceMs
            self.nowMs = nowMs
            self.maxLeverage = maxLeverage
            self.quote = quote
            self.quoteMs = quoteMs
            self.account = account
            self.marks = marks
            self.killSwitch = killSwitch
            self.lastOrderMs = lastOrderMs
        }
    }

    /// A refusal: the gate's code and what it saw.
    public struct Rejection: Error, Sendable, Equatable {
        public var code: String
        public var detail: String
    }

    /// An accepted executable action: the order to place.
    public struct Order: Sendable, Equatable {
        /// Signed coins × 10^8: a buy > 0.
        public var sizeE8: Int64
        public var leverage: Int64
        public var reduceOnly: Bool
        public var priceE8: Int64

        public init(sizeE8: Int64, leverage: Int64, reduceOnly: Bool, priceE8: Int64) {
            self.sizeE8 = sizeE8
            self.leverage = leverage
            self.reduceOnly = reduceOnly
            self.priceE8 = priceE8
        }
    }

    /// The order a decision makes, or the first gate that refuses it; nil for a hold.
    public static func check(_ context: Context) -> Result<Order, Rejection>? {
        let decision = context.decision
        guard decision.action != .hold else { return nil }
        func reject(_ code: String, _ detail: String) -> Result<Order, Rejection> { .failure(Rejection(code: code, detail: detail)) }
        let opening = decision.action != .close
        switch context.killSwitch {
        case .halted: return reject("kill_switch", "the runtime is halted")
        case .reduceOnly where opening: return reject("kill_switch", "the runtime is reduce-only; only closes pass")
        default: break
        }
        guard context.controls.allowedActions.contains(decision.action.rawValue) else {
            return reject("action_not_allowed", "\(decision.action.rawValue) is not among \(context.controls.allowedActions.joined(separator: ", "))")
        }
        guard let maxLeverage = context.maxLeverage else { return reject("unknown_asset", "\(context.asset) is not listed in market memory") }
        guard let quote = context.quote, let quoteMs = context.quoteMs, context.nowMs - quoteMs <= 2 * context.cadenceMs else {
            return reject("stale_data", "no mid of \(context.asset) newer than 2 × the cadence (\(2 * context.cadenceMs) ms)")
        }
        if let last = context.lastOrderMs, context.nowMs - last < context.cadenceMs / 2 {
            return reject("rate_limit", "an order for \(context.asset) was made \(context.nowMs - last) ms ago; at most one per half cadence")
        }
        let position = context.account.positions[context.asset]
        guard opening else {
            guard let position else { return reject("reduce_only", "no position in \(context.asset) to close") }
            return .success(Order(sizeE8: -position.sizeE8, leverage: position.leverage, reduceOnly: true,
                                  priceE8: FillPolicy.price(quote, buy: position.sizeE8 < 0)))
        }
        let buy = decision.action == .openLong
        if let position, position.isLong != buy {
            return reject("opposite_position", "\(context.asset) holds a \(position.isLong ? "long" : "short"); close it before opening the other way")
        }
        guard decision.leverage >= 1 else { return reject("leverage", "leverage \(decision.leverage) is below 1") }
        guard decision.leverage <= context.controls.maxLeverage else {
            return reject("leverage", "leverage \(decision.leverage) is above the prompt's maximum \(context.controls.maxLeverage)")
        }
        guard decision.leverage <= maxLeverage else {
            return reject("leverage", "leverage \(decision.leverage) is above \(context.asset)'s maximum \(maxLeverage)")
        }
        let notional = decision.sizeUsdE6
        guard notional >= FillPolicy.minimumNotionalE6 else {
            return reject("min_size", "a notional of \(notional) (USD × 10^6) is below the minimum \(FillPolicy.minimumNotionalE6)")
        }
        guard notional <= context.controls.maxOrderNotionalUsd * 1_000_000 else {
            return reject("notional_order", "a notional of \(notional) is above the per-order limit of \(context.controls.maxOrderNotionalUsd) USD")
        }
        guard context.account.openNotionalE6 + notional <= context.controls.maxAccountNotionalUsd * 1_000_000 else {
            return reject("notional_account", "open notional \(context.account.openNotionalE6) plus \(notional) is above the account limit of \(context.controls.maxAccountNotionalUsd) USD")
        }
        if position == nil, Int64(context.account.positions.count) >= context.controls.maxOpenPositions {
            return reject("open_positions", "\(context.account.positions.count) positions are open; the maximum is \(context.controls.maxOpenPositions)")
        }
        for (name, trigger, protects) in [("stop loss", decision.stopLossE8, true), ("take profit", decision.takeProfitE8, false)] {
            guard let trigger else { continue }
            // A long's stop is below the mid and its target above; a short's the other way round.
            let below = trigger < quote.midE8
            let band = Int128(quote.midE8) * Int128(priceBandBp) / 10_000
            if below != (buy == protects) || trigger == quote.midE8 || abs(Int128(trigger) - Int128(quote.midE8)) > band {
                return reject("price_band", "the \(name) \(trigger) is on the wrong side of the mid \(quote.midE8) or more than \(priceBandBp / 100)% from it")
            }
        }
        let price = FillPolicy.price(quote, buy: buy)
        let size = FillPolicy.size(notionalE6: notional, priceE8: price)
        let margin = Int64(FillPolicy.ceilDiv(Int128(FillPolicy.notional(sizeE8: size, priceE8: price, up: true)), Int128(decision.leverage)))
        let free = context.account.equityE6(marks: context.marks) - context.account.marginUsedE6
        guard margin <= free else { return reject("free_margin", "initial margin \(margin) is above the free margin \(free)") }
        return .success(Order(sizeE8: buy ? size : -size, leverage: decision.leverage, reduceOnly: false, priceE8: price))
    }
}
