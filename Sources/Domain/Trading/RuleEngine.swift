import ClashCore

/// Deterministic, seeded rule strategies over what a packet holds, for simulations and
/// benchmarks: the same plan, market view, position, seed and version always give the same
/// decision. A rule reads only channels its plan reads; without them it holds, saying why.
///
/// Version 2 (current, `RuleEngine+Active.swift`) trades as arena bots do: signals measured against
/// the asset's own volatility, exits when a signal fades, and the risk preset's leverage, size,
/// stop loss and take profit. Version 1 (below) stays for the logs it decided:
///
/// - `momentum`: the return over the plan's shortest candles; above the threshold long, below
///   minus it short.
/// - `funding_carry`: collect funding: the hourly rate above the threshold short, below minus it long.
/// - `mean_reversion`: the mid against the mean close of the plan's longest candles; far above
///   short, far below long; back near the mean, close.
///
/// An open is half the prompt's per-order notional at 2× leverage (the prompt's maximum when
/// lower), with a stop loss 2% and a take profit 3% from the mid. A signal against the position
/// held closes it. Thresholds are scaled by 0.8 to 1.2 by the seed and the asset, so clones with
/// the same rule trade apart.
public enum RuleEngine {
    /// The version new decisions are made with, and the versions this build can decide again.
    public static let version: Int64 = 3
    public static let versions: ClosedRange<Int64> = 1...3
    public static let rules = ["momentum", "funding_carry", "mean_reversion"]

    /// The decision of `version` (the current one unless an audit replays an older decision).
    public static func decide(plan: ReadPlan, latest: AssetLatest?, position: PaperAccount.Position?, seed: UInt64,
                              version: Int64 = RuleEngine.version) -> Decision {
        precondition(versions.contains(version), "rules engine version \(version) is unknown")
        return version == 1 ? decideV1(plan: plan, latest: latest, position: position, seed: seed)
            : decideActive(plan: plan, latest: latest, position: position, seed: seed, version: version)
    }

    static func decideV1(plan: ReadPlan, latest: AssetLatest?, position: PaperAccount.Position?, seed: UInt64) -> Decision {
        guard let latest, let mid = latest.price?.midE8, mid > 0 else { return .hold("no mid for \(plan.asset)") }
        let scale = thresholdScalePercent(seed: seed, asset: plan.asset)
        let signal: (direction: Int, strength: Int64, threshold: Int64, text: String)
        switch plan.rule {
        case "funding_carry":
            guard plan.channels.contains(where: { $0.key == "hyperliquid.funding" }) else { return .hold("funding_carry: the plan reads no funding") }
            guard let rate = latest.funding.currentE12 else { return .hold("funding_carry: no funding rate") }
            let threshold = 10_000_000 * scale / 100    // 0.001% an hour
            signal = (rate > threshold ? -1 : rate < -threshold ? 1 : 0, abs(rate), threshold,
                      "funding_carry: hourly rate \(rate) e12 against a threshold of \(threshold)")
        case "mean_reversion":
            guard let candles = candles(plan, latest, longest: true) else { return .hold("mean_reversion: the plan reads no candles") }
            let mean = candles.reduce(Int128(0)) { $0 + Int128($1.closeE8) } / Int128(candles.count)
            let deviation = Int64((Int128(mid) - mean) * 10_000 / max(mean, 1))
            let threshold = 30 * scale / 100
            if let position, abs(deviation) < 5 {
                return Decision(action: .close, confidenceBp: 5_000, reason: "mean_reversion: the mid is back within 5 bp of the mean")
            }
            signal = (deviation > threshold ? -1 : deviation < -threshold ? 1 : 0, abs(deviation), threshold,
                      "mean_reversion: the mid is \(deviation) bp from the mean of \(candles.count) closes (threshold \(threshold) bp)")
        default:
            guard let candles = candles(plan, latest, longest: false), let first = candles.first?.closeE8, let last = candles.last?.closeE8,
                  first > 0 else { return .hold("momentum: the plan reads no candles") }
            let move = Int64((Int128(last) - Int128(first)) * 10_000 / Int128(first))
            let threshold = 20 * scale / 100
            signal = (move > threshold ? 1 : move < -threshold ? -1 : 0, abs(move), threshold,
                      "momentum: closes moved \(move) bp over \(candles.count) candles (threshold \(threshold) bp)")
        }
        let confidence = min(10_000, signal.threshold > 0 ? signal.strength * 5_000 / signal.threshold : 5_000)
        if let position {
            if signal.direction != 0, (signal.direction > 0) != position.isLong {
                return Decision(action: .close, confidenceBp: confidence, reason: signal.text + "; against the position")
            }
            return .hold(signal.text + "; the position stands")
        }
        guard signal.direction != 0 else { return .hold(signal.text) }
        let long = signal.direction > 0
        let leverage = min(2, plan.execution.maxLeverage)
        return Decision(action: long ? .openLong : .openShort, sizeUsdE6: plan.execution.maxOrderNotionalUsd * 1_000_000 / 2,
                        leverage: leverage, stopLossE8: long ? mid - mid / 50 : mid + mid / 50,
                        takeProfitE8: long ? mid + mid * 3 / 100 : mid - mid * 3 / 100, confidenceBp: confidence, reason: signal.text)
    }

    /// The candles of the plan's shortest (or longest) candle channel, within its lookback.
    static func candles(_ plan: ReadPlan, _ latest: AssetLatest, longest: Bool) -> [AssetLatest.Candle]? {
        let channels = plan.channels.filter { $0.name == "candles" }
            .sorted { (DataChannels.candleIntervals[$0.interval ?? ""]?.milliseconds ?? 0) < (DataChannels.candleIntervals[$1.interval ?? ""]?.milliseconds ?? 0) }
        guard let channel = longest ? channels.last : channels.first, let all = latest.candles[channel.interval ?? ""], all.count >= 2 else {
            return nil
        }
        return Array(all.suffix(channel.lookback ?? all.count))
    }

    /// 80 to 120: the seed's and the asset's scale of a rule's threshold (FNV-1a of the asset, so
    /// the same on every machine and run).
    static func thresholdScalePercent(seed: UInt64, asset: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in asset.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var random = SplitMix64(seed: seed ^ hash)
        return 80 + Int64(random.next() % 41)
    }
}
