import ClashCore

/// The price, funding and open-interest paths of synthetic market version 2, calibrated against the
/// recorded Hyperliquid universes (see the README's "The synthetic market"): every asset has a
/// daily volatility drawn by its tier (majors calmer, small caps and memes wilder), moves with a
/// common market factor (BTC is the factor), has volatility that clusters (an absolute-value GARCH
/// state per asset and for the factor), and jumps now and then (fat tails). Funding follows the
/// last hour's move, open interest grows with volatility and decays back, and the book's spread and
/// depth widen and thin with the volatility state. Integer arithmetic only: returns are in units of
/// 10^-9 ("nano"), so a seed gives the same path on every machine.
struct LivelyPaths {
    /// How an asset behaves, drawn once from the seed.
    struct Profile: Equatable {
        enum Tier: String { case major, large, small, meme }
        var tier: Tier
        /// Daily volatility, basis points (one standard deviation of a day's return).
        var dailyVolBp: Int64
        /// Correlation with the market factor, per mille (BTC: 1,000).
        var factorCorrelationPerMille: Int64
        /// The factor's weight in its return, per mille: correlation × own vol / factor vol.
        var betaPerMille: Int64
        /// The standard deviation of its own (non-factor) return per step, nano.
        var idioSigmaNano: Int64
        /// The chance of a jump per step, in parts per million.
        var jumpPerMillion: Int64
        /// The book's spread at the asset's usual volatility, basis points.
        var baseSpreadBp: Int64
    }

    /// The recorded universes' tiers: the daily volatility range, the correlation range, jumps a day
    /// and the usual spread. Anything not listed is drawn: half large caps, 30 % small caps, 20 % memes.
    static let tierRanges: [Profile.Tier: (vol: ClosedRange<Int64>, correlation: ClosedRange<Int64>, jumpsPerDay: Int64, spreadBp: Int64)] = [
        .major: (200...280, 850...1_000, 2, 1),
        .large: (300...550, 600...800, 3, 2),
        .small: (450...800, 450...700, 4, 4),
        .meme: (500...900, 350...600, 6, 6),
    ]
    static let drawnTiers: [Profile.Tier] = [.large, .large, .large, .large, .large, .small, .small, .small, .meme, .meme]
    static let majors: Set<String> = ["BTC", "ETH"]
    static let memes: Set<String> = ["DOGE", "kPEPE", "WIF", "BONK", "kSHIB", "FARTCOIN", "PENGU"]
    static let smallCaps: Set<String> = ["INJ", "SEI", "TIA", "LDO", "ETC", "XLM", "FIL"]
    /// BTC's daily volatility: the factor's.
    static let factorDailyVolBp: Int64 = 200
    /// The volatility state's memory per step: sigma ← (1 − a − b)·usual + a·|shock|·√(π/2) + b·sigma,
    /// a = 4%, b = 95.5%: a shock's effect halves in about 140 steps (over two hours at 1m).
    static let garchShockPerMille: Int64 = 40
    static let garchMemoryPerMille: Int64 = 955
    /// Hyperliquid's interest-only funding baseline, hourly × 10^8 (0.00125 %/h), and its cap (4 %/h).
    static let fundingBaselineE8: Int64 = 1_250
    static let fundingCapE8: Int64 = 4_000_000

    let profiles: [Profile]
    let stepsPerDay: Int64
    /// The factor's usual sigma per step, nano.
    let factorSigmaNano: Int64
    private var random: SplitMix64
    private var factorSigma: Int64
    private var idioSigma: [Int64]
    /// Each asset's exponential mean of recent returns (nano per step, about an hour's memory).
    private var trend: [Int64]
    private var baseOpenInterest: [Int64]

    init(symbols: [String], seed: UInt64, stepMilliseconds: Int64, startMs: Int64, openInterests: [Int64]) {
        var draw = SplitMix64(seed: seed ^ 0x11FE_1F_C1A5)
        let stepsPerDay = max(1, 86_400_000 / stepMilliseconds)
        self.stepsPerDay = stepsPerDay
        // sigma per step = daily sigma / √(steps a day), in nano (1 bp = 10^5 nano).
        let rootStepsPerDayMilli = IntegerSquareRoot.floor(stepsPerDay * 1_000_000)
        func perStep(_ dailyBp: Int64) -> Int64 { dailyBp * 100_000 * 1_000 / max(1, rootStepsPerDayMilli) }
        let factorSigmaNano = perStep(Self.factorDailyVolBp)
        self.factorSigmaNano = factorSigmaNano
        let profiles = symbols.map { symbol in
            let tier: Profile.Tier = Self.majors.contains(symbol) ? .major : Self.memes.contains(symbol) ? .meme
                : Self.smallCaps.contains(symbol) ? .small : symbol.hasPrefix("SYN") ? Self.drawnTiers[Int(draw.next() % 10)] : .large
            let range = Self.tierRanges[tier]!
            func within(_ bounds: ClosedRange<Int64>) -> Int64 { bounds.lowerBound + Int64(draw.next() % UInt64(bounds.upperBound - bounds.lowerBound + 1)) }
            let vol = symbol == "BTC" ? Self.factorDailyVolBp : within(range.vol)
            let correlation = symbol == "BTC" ? 1_000 : within(range.correlation)
            let sigma = perStep(vol)
            return Profile(tier: tier, dailyVolBp: vol, factorCorrelationPerMille: correlation,
                           betaPerMille: correlation * vol / Self.factorDailyVolBp,
                           idioSigmaNano: sigma * IntegerSquareRoot.floor(1_000_000 - correlation * correlation) / 1_000,
                           jumpPerMillion: range.jumpsPerDay * 1_000_000 / stepsPerDay, baseSpreadBp: range.spreadBp)
        }
        self.profiles = profiles
        random = SplitMix64(seed: seed ^ UInt64(bitPattern: startMs) &* 0x9E37_79B9_7F4A_7C15 ^ 0x2AC7_1F_C1A5)
        factorSigma = factorSigmaNano
        idioSigma = profiles.map(\.idioSigmaNano)
        trend = Array(repeating: 0, count: symbols.count)
        baseOpenInterest = openInterests
    }

    /// The factor's return for the next step, nano: drawn once per step, before the assets'.
    mutating func factorReturn() -> Int64 {
        var shock = factorSigma * normal() / 65_536
        if Int64(random.next() % 1_000_000) < 1_000_000 / stepsPerDay { shock += jump(factorSigmaNano) }
        factorSigma = Self.nextSigma(factorSigma, usual: factorSigmaNano, shock: shock)
        return shock
    }

    /// Asset `index`'s return for the step, nano, given the factor's.
    mutating func assetReturn(_ index: Int, factor: Int64) -> Int64 {
        let profile = profiles[index]
        var own = idioSigma[index] * normal() / 65_536
        if Int64(random.next() % 1_000_000) < profile.jumpPerMillion { own += jump(max(profile.idioSigmaNano, factorSigmaNano)) }
        idioSigma[index] = Self.nextSigma(idioSigma[index], usual: profile.idioSigmaNano, shock: own)
        // At most a fifth of the price in one step.
        let move = max(-200_000_000, min(200_000_000, profile.betaPerMille * factor / 1_000 + own))
        trend[index] += (move - trend[index]) / 60
        return move
    }

    /// Funding after a step: pulled toward the baseline plus the last hour's move (100 bp up an
    /// hour adds 0.0025 %/h), with a little noise, within Hyperliquid's cap.
    mutating func funding(_ index: Int, current: Int64) -> Int64 {
        let hourlyMoveNano = trend[index] * max(1, stepsPerDay / 24)
        let target = Self.fundingBaselineE8 + hourlyMoveNano / 4_000
        let next = current + (target - current) / 30 + random.triangular(20)
        return max(-Self.fundingCapE8, min(Self.fundingCapE8, next))
    }

    /// Open interest after a step of `move`: traders come with volatility and leave again, so it
    /// settles about 20 % above its start at the usual volatility and higher in a storm (the inflow
    /// is 23 % of the step's move; a 720th of the excess leaves each step).
    mutating func openInterest(_ index: Int, current: Int64, move: Int64) -> Int64 {
        let inflow = Int64(Int128(current) * Int128(abs(move)) * 23 / 100 / 1_000_000_000)
        let outflow = (current - baseOpenInterest[index]) / 720
        let noise = Int64(Int128(current) * Int128(random.triangular(100)) / 1_000_000)
        return max(100_000, current + inflow - outflow + noise)
    }

    /// The volatility state against the usual, per mille (1,000 at the usual level).
    func volatilityPerMille(_ index: Int) -> Int64 {
        let profile = profiles[index]
        let usual = IntegerSquareRoot.floor(Int64(Int128(profile.idioSigmaNano) * Int128(profile.idioSigmaNano) / 1_000
            + Int128(profile.betaPerMille * factorSigmaNano / 1_000) * Int128(profile.betaPerMille * factorSigmaNano / 1_000) / 1_000))
        let now = IntegerSquareRoot.floor(Int64(Int128(idioSigma[index]) * Int128(idioSigma[index]) / 1_000
            + Int128(profile.betaPerMille * factorSigma / 1_000) * Int128(profile.betaPerMille * factorSigma / 1_000) / 1_000))
        return max(1, now * 1_000 / max(1, usual))
    }

    /// The book's spread, basis points: the asset's usual spread widened with its volatility.
    mutating func spreadBp(_ index: Int) -> Int64 {
        max(1, profiles[index].baseSpreadBp * volatilityPerMille(index) / 1_000 + Int64(random.next() % 2))
    }

    /// Depth within 1 % of the mid on one side, from 0.5 % to 3 % of the open interest, thinner when volatile.
    mutating func depth(_ index: Int, openInterest: Int64) -> Int64 {
        max(1, openInterest * Int64(5 + random.next() % 26) / 1_000 * 1_000 / volatilityPerMille(index))
    }

    /// A number drawn with mean 0 and standard deviation 65,536: the sum of 12 uniforms (Irwin–Hall).
    mutating func normal() -> Int64 {
        var sum: Int64 = 0
        for _ in 0..<3 {
            let bits = random.next()
            for shift in stride(from: 0, to: 64, by: 16) { sum += Int64((bits >> UInt64(shift)) & 0xFFFF) }
        }
        return sum - 6 * 65_536
    }

    /// A jump of 4 to 12 sigmas, up or down.
    mutating func jump(_ sigma: Int64) -> Int64 {
        let size = sigma * Int64(4 + random.next() % 9)
        return random.next() % 2 == 0 ? size : -size
    }

    /// sigma ← (1 − a − b)·usual + a·|shock|·√(π/2) + b·sigma (√(π/2) ≈ 1.2533 makes |shock| an
    /// unbiased estimate of sigma).
    static func nextSigma(_ sigma: Int64, usual: Int64, shock: Int64) -> Int64 {
        let keep = 1_000 - garchShockPerMille - garchMemoryPerMille
        return (keep * usual + garchShockPerMille * (abs(shock) * 12_533 / 10_000) + garchMemoryPerMille * sigma) / 1_000
    }
}
