import ClashCore

/// Rules engine version 2: the three rules as arena bots trade them. Every threshold is measured
/// against the asset's own volatility (the hour's realized volatility of 1-minute candles, else its
/// shortest candles'), so a calm major and a wild meme both trade; a position is closed when its
/// signal fades or turns, not only when the opposite signal appears; and the plan's risk preset sets
/// the leverage, the size, and how far the stop loss and take profit sit (in multiples of the
/// hour's volatility):
///
/// | risk (max leverage) | leverage | size of the per-order maximum | stop loss | take profit |
/// |---|---|---|---|---|
/// | low (≤ 2) | 1 | 40 % | 1.5 σ | 2 σ |
/// | medium (≤ 5) | 2 | 60 % | 2 σ | 3 σ |
/// | high (> 5) | 5 (version 3: the asset's maximum, up to the plan's) | 90 % | 3 σ | 4.5 σ |
///
/// Version 3 differs from version 2 in one thing: at high risk the bot uses the leverage it is
/// allowed (the asset's maximum, up to the plan's), so with the high preset's account limit (5× the
/// starting equity) a gap through its stops — a flash crash — takes it to maintenance margin and the
/// exchange liquidates it (fill policy v2), as happens to high-leverage bots on Hyperliquid.
///
/// - `momentum`: the move over the last six of the plan's shortest candles against that window's
///   volatility: beyond 0.6 σ follow it; a position closes when the move turns against it.
/// - `mean_reversion`: the mid against the mean close of the longest candles: beyond 1.2 σ of the
///   hour fade it; a position closes once the mid is back within 0.2 σ of the mean or past it.
/// - `funding_carry`: the hourly funding rate against Hyperliquid's 0.00125 % baseline: more than
///   0.001 % an hour above it short (collect), below it long; closes when the rate is back within a
///   third of that.
///
/// Sizes scale with confidence (half the preset's size at the threshold, all of it at twice it).
/// Thresholds are scaled by 0.8 to 1.2 by the seed and the asset, so clones with the same rule
/// trade apart.
extension RuleEngine {
    /// What a risk preset sets, by the plan's maximum leverage.
    struct Risk {
        var leverage: Int64
        var sizePercent: Int64
        /// Stop loss and take profit distances, tenths of the hour's volatility.
        var stopTenths: Int64
        var takeProfitTenths: Int64

        init(maxLeverage: Int64, assetMaxLeverage: Int64, version: Int64) {
            switch maxLeverage {
            case ...2: (leverage, sizePercent, stopTenths, takeProfitTenths) = (1, 40, 15, 20)
            case ...5: (leverage, sizePercent, stopTenths, takeProfitTenths) = (2, 60, 20, 30)
            default:
                (leverage, sizePercent, stopTenths, takeProfitTenths) = (5, 90, 30, 45)
                if version >= 3 { leverage = max(1, assetMaxLeverage) }
            }
            leverage = min(leverage, max(1, maxLeverage))
        }
    }

    /// The hour's volatility the rules measure against when none is known, basis points.
    static let fallbackHourlyVolatilityBp: Int64 = 50
    /// Hyperliquid's interest-only funding baseline, hourly × 10^12 (0.00125 %).
    static let fundingBaselineE12: Int64 = 12_500_000

    static func decideActive(plan: ReadPlan, latest: AssetLatest?, position: PaperAccount.Position?, seed: UInt64, version: Int64) -> Decision {
        guard let latest, let mid = latest.price?.midE8, mid > 0 else { return .hold("no mid for \(plan.asset)") }
        let scale = thresholdScalePercent(seed: seed, asset: plan.asset)
        let hourlyBp = max(5, hourlyVolatilityBp(plan, latest) ?? fallbackHourlyVolatilityBp)
        /// direction: +1 long, −1 short, 0 none; exit: whether a position of `position`'s side should close.
        let direction: Int, strength: Int64, threshold: Int64, exit: Bool, text: String
        switch plan.rule {
        case "funding_carry":
            guard plan.channels.contains(where: { $0.key == "hyperliquid.funding" }) else { return .hold("funding_carry: the plan reads no funding") }
            guard let rate = latest.funding.currentE12 else { return .hold("funding_carry: no funding rate") }
            let excess = rate - fundingBaselineE12
            threshold = 10_000_000 * scale / 100
            direction = excess > threshold ? -1 : excess < -threshold ? 1 : 0
            strength = abs(excess)
            exit = position.map { $0.isLong ? excess > -threshold / 3 : excess < threshold / 3 } ?? false
            text = "funding_carry: hourly rate \(rate) e12, \(excess) from the baseline (threshold \(threshold))"
        case "mean_reversion":
            guard let candles = candles(plan, latest, longest: true) else { return .hold("mean_reversion: the plan reads no candles") }
            let mean = candles.reduce(Int128(0)) { $0 + Int128($1.closeE8) } / Int128(candles.count)
            let deviation = Int64((Int128(mid) - mean) * 10_000 / max(mean, 1))
            threshold = max(1, hourlyBp * 12 * scale / 1_000)
            direction = deviation > threshold ? -1 : deviation < -threshold ? 1 : 0
            strength = abs(deviation)
            let near = hourlyBp * 2 / 10
            exit = position.map { $0.isLong ? deviation > -near : deviation < near } ?? false
            text = "mean_reversion: the mid is \(deviation) bp from the mean of \(candles.count) closes (threshold \(threshold) bp, σ \(hourlyBp) bp an hour)"
        default:
            guard let all = candles(plan, latest, longest: false), all.count >= 2 else { return .hold("momentum: the plan reads no candles") }
            let window = Array(all.suffix(7))
            guard let first = window.first?.closeE8, let last = window.last?.closeE8, first > 0 else { return .hold("momentum: no closes") }
            let move = Int64((Int128(last) - Int128(first)) * 10_000 / Int128(first))
            // The window's volatility: the hour's, scaled by √(window / hour).
            let windowMs = (window.last!.openMs - window.first!.openMs)
            let windowBp = max(1, hourlyBp * IntegerSquareRoot.floor(max(1, windowMs) * 1_000_000 / 3_600_000) / 1_000)
            threshold = max(1, windowBp * 6 * scale / 1_000)
            direction = move > threshold ? 1 : move < -threshold ? -1 : 0
            strength = abs(move)
            exit = position.map { $0.isLong ? move < 0 : move > 0 } ?? false
            text = "momentum: closes moved \(move) bp over \(window.count) candles (threshold \(threshold) bp, σ \(windowBp) bp)"
        }
        let confidence = min(10_000, threshold > 0 ? strength * 5_000 / threshold : 5_000)
        if let position {
            if direction != 0, (direction > 0) != position.isLong {
                return Decision(action: .close, confidenceBp: confidence, reason: text + "; against the position")
            }
            if exit { return Decision(action: .close, confidenceBp: 5_000, reason: text + "; the signal faded") }
            return .hold(text + "; the position stands")
        }
        guard direction != 0 else { return .hold(text) }
        let risk = Risk(maxLeverage: plan.execution.maxLeverage, assetMaxLeverage: latest.maxLeverage, version: version)
        let long = direction > 0
        // Half the preset's size at the threshold, all of it from twice the threshold.
        let sizePercent = risk.sizePercent * min(10_000, max(5_000, confidence)) / 10_000
        let stop = Int64(Int128(mid) * Int128(min(1_000, max(10, hourlyBp * risk.stopTenths / 10))) / 10_000)
        let target = Int64(Int128(mid) * Int128(min(1_500, max(15, hourlyBp * risk.takeProfitTenths / 10))) / 10_000)
        return Decision(action: long ? .openLong : .openShort, sizeUsdE6: plan.execution.maxOrderNotionalUsd * 10_000 * sizePercent,
                        leverage: risk.leverage, stopLossE8: long ? mid - stop : mid + stop, takeProfitE8: long ? mid + target : mid - target,
                        confidenceBp: confidence, reason: text)
    }

    /// The hour's realized volatility, basis points: the packet's (1-minute candles over the hour),
    /// else the plan's shortest candles' scaled to an hour; nil when neither is there.
    static func hourlyVolatilityBp(_ plan: ReadPlan, _ latest: AssetLatest) -> Int64? {
        if plan.channels.contains(where: { $0.key == "hyperliquid.volatility" }), let hourly = latest.volatility.realized1hBp, hourly > 0 {
            return hourly
        }
        guard let candles = candles(plan, latest, longest: false), candles.count >= 3 else { return nil }
        var sum: Int128 = 0
        for (previous, next) in zip(candles, candles.dropFirst()) where previous.closeE8 > 0 {
            let ppm = (Int128(next.closeE8) - Int128(previous.closeE8)) * 1_000_000 / Int128(previous.closeE8)
            sum += ppm * ppm
        }
        let intervalMs = max(60_000, candles[1].openMs - candles[0].openMs)
        let perCandlePpm = Int64(IntegerSquareRoot.floor(sum / Int128(candles.count - 1)))
        // To an hour: × √(candles an hour).
        return perCandlePpm * IntegerSquareRoot.floor(3_600_000 * 1_000_000 / intervalMs) / 1_000 / 100
    }
}
