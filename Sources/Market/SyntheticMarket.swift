import ClashCore
import EventSchemas
import LedgerLog

/// A deterministic synthetic market of `assets` perpetuals as the events real ingestion writes: the
/// universe first (a `hyperliquid.universe` of the default dex), then every `stepMilliseconds` a
/// `market.tick` per asset (mid, funding and open interest), and at every full hour a
/// `hyperliquid.asset_contexts` with mark, oracle, previous-day price, funding, premium, open
/// interest, 24-hour volume and impact prices, and a `hyperliquid.book_summary` per asset (spread
/// and depth). Integer arithmetic only, so a seed gives the same events on every machine.
///
/// Version 2 (the default) moves as the recorded Hyperliquid universe does (`LivelyPaths`: tiers of
/// volatility, a market factor, clustering, jumps, funding, open interest and books that follow the
/// path); its event ids carry the time (`sim2-<seed>-<ms>-<asset>`), so a market continued from where
/// the log ends (`Continuation`) never repeats an id. Version 1 (a calm, uncorrelated random walk of
/// about 0.012 % a minute, ids by step) stays for the logs written with it.
public struct SyntheticMarket: Sequence, IteratorProtocol {
    /// The version new markets are generated with.
    public static let currentVersion = 2
    public static let versions: ClosedRange<Int> = 1...2

    /// Where a market taken up from a log stands: each asset's last mid, funding and open interest,
    /// and its mids at the full hours of the last day (oldest first) for the previous-day price.
    public struct Continuation: Sendable, Equatable {
        public var midsE8: [Int64]
        public var fundingsE8: [Int64]
        public var openInterestsE2: [Int64]
        public var hourlyMidsE8: [[Int64]]

        public init(midsE8: [Int64], fundingsE8: [Int64], openInterestsE2: [Int64], hourlyMidsE8: [[Int64]]) {
            self.midsE8 = midsE8
            self.fundingsE8 = fundingsE8
            self.openInterestsE2 = openInterestsE2
            self.hourlyMidsE8 = hourlyMidsE8
        }
    }

    public let seed: UInt64
    public let version: Int
    public let symbols: [String]
    public let stepMilliseconds: Int64
    public let steps: Int
    public let startMs: Int64

    /// Per asset, precomputed: its stream and its symbol as a JSON string.
    private let streams: [String]
    private let symbolJSON: [[UInt8]]
    private let idPrefix: String
    private var random: SplitMix64
    private var mids: [Int64]
    private var fundings: [Int64]
    private var openInterests: [Int64]
    /// Each asset's mid at each of the last 24 hours, oldest first.
    private var hourlyMids: [[Int64]]
    private var step = 0
    private var asset = 0
    private var pending: [EventDraft] = []
    private var lively: LivelyPaths?
    private var factor: Int64 = 0
    private let hasUniverse: Bool

    /// A market of `assets` perpetuals over `hours` from `startMs`; with `continuing`, taken up from
    /// where a log's market stands (no universe event: the log has it).
    public init(seed: UInt64, assets: Int, hours: Int, stepMilliseconds: Int64 = 60_000, startMs: Int64 = 1_717_200_000_000,
                version: Int = SyntheticMarket.currentVersion, continuing: Continuation? = nil) {
        precondition(assets >= 1 && hours >= 1 && stepMilliseconds >= 1, "a market of at least one asset, hour and millisecond")
        precondition(Self.versions.contains(version), "synthetic market version \(version) is unknown")
        precondition(continuing.map { $0.midsE8.count == assets && $0.fundingsE8.count == assets && $0.openInterestsE2.count == assets
            && $0.hourlyMidsE8.count == assets } ?? true, "a continuation names every asset")
        precondition(continuing == nil || version >= 2, "only version 2 markets continue (version 1 ids repeat)")
        self.seed = seed
        self.version = version
        hasUniverse = continuing == nil
        self.stepMilliseconds = stepMilliseconds
        self.startMs = startMs
        steps = Int(Int64(hours) * 3_600_000 / stepMilliseconds)
        symbols = (0..<assets).map { $0 < Self.bases.count ? Self.bases[$0] : "SYN\($0)" }
        streams = symbols.map { Streams.market($0) }
        symbolJSON = symbols.map { symbol in
            var json = CanonicalJSONWriter(capacity: 16)
            json.string(symbol)
            return json.bytes
        }
        idPrefix = version == 1 ? "sim-\(seed)-" : Self.versionTwoIdPrefix + "\(seed)-"
        random = SplitMix64(seed: seed ^ 0x5EED_0F_C1A5)
        mids = []
        fundings = []
        openInterests = []
        for index in 0..<assets {
            // Known assets start near a realistic price (± 5%); others anywhere from $0.10 to $1,000.
            let base = index < Self.bases.count ? Self.startPricesE8[index] : 10_000_000 * Int64(1 + random.next() % 10_000)
            mids.append(base + base * Int64(random.next() % 10_001) / 100_000 - base / 20)
            fundings.append(Int64(random.next() % 5_000) - 1_000)
            openInterests.append(Int64(random.next() % 300_000_000_000) + 100_000_000)
        }
        if let continuing {
            mids = continuing.midsE8
            fundings = continuing.fundingsE8
            openInterests = continuing.openInterestsE2
            random = SplitMix64(seed: seed ^ 0x5EED_0F_C1A5 ^ UInt64(bitPattern: startMs))
        }
        hourlyMids = continuing?.hourlyMidsE8 ?? mids.map { [$0] }
        if version >= 2 {
            lively = LivelyPaths(symbols: symbols, seed: seed, stepMilliseconds: stepMilliseconds, startMs: startMs, openInterests: openInterests)
        }
        pending = hasUniverse ? [universe()] : []
    }

    static let bases = ["BTC", "ETH", "SOL", "BNB", "XRP", "DOGE", "ADA", "AVAX", "LINK", "DOT", "LTC", "BCH", "UNI", "ATOM",
                        "ETC", "XLM", "FIL", "APT", "ARB", "OP", "NEAR", "INJ", "SUI", "TIA", "SEI", "AAVE", "MKR", "LDO"]
    /// Starting prices of the known bases, USD × 10^8.
    static let startPricesE8: [Int64] = [
        6_750_000_000_000, 375_000_000_000, 16_500_000_000, 60_000_000_000, 52_000_000, 16_000_000, 45_000_000, 3_500_000_000,
        1_700_000_000, 700_000_000, 8_200_000_000, 47_000_000_000, 1_000_000_000, 850_000_000, 3_000_000_000, 11_000_000,
        600_000_000, 900_000_000, 110_000_000, 240_000_000, 700_000_000, 2_500_000_000, 100_000_000, 950_000_000, 50_000_000,
        9_000_000_000, 280_000_000_000, 210_000_000,
    ]

    /// How many events the market holds.
    public var count: Int {
        (hasUniverse ? 1 : 0) + steps * symbols.count + (Swift.max(0, steps - 1) / stepsPerHourMark + (hasUniverse ? 0 : 1)) * (1 + symbols.count)
    }

    /// Steps between two steps that fall on a full hour after the start.
    private var stepsPerHourMark: Int {
        var (a, b) = (stepMilliseconds, Int64(3_600_000))
        while b != 0 { (a, b) = (b, a % b) }
        return Int(3_600_000 / a)
    }

    public mutating func next() -> EventDraft? {
        if !pending.isEmpty { return pending.removeFirst() }
        guard step < steps else { return nil }
        let timestamp = startMs + Int64(step) * stepMilliseconds
        // Contexts and books at every full hour after the start (and at the start of a continued
        // market, whose log has none for that hour yet).
        if asset == 0 && (step > 0 || !hasUniverse) && (timestamp - startMs) % 3_600_000 == 0 {
            pending.append(contexts(at: timestamp))
            pending.append(contentsOf: books(at: timestamp))
        }
        let index = asset
        if var paths = lively {
            lively = nil
            if index == 0 { factor = paths.factorReturn() }
            let move = paths.assetReturn(index, factor: factor)
            mids[index] = Swift.max(1, mids[index] + Int64(Int128(mids[index]) * Int128(move) / 1_000_000_000))
            fundings[index] = paths.funding(index, current: fundings[index])
            openInterests[index] = paths.openInterest(index, current: openInterests[index], move: move)
            lively = paths
        } else {
            mids[index] = Swift.max(1, mids[index] + mids[index] * random.triangular(300) / 1_000_000)
            // Hourly funding × 10^8 drifts, pulled back toward zero (Hyperliquid's baseline is 1,250).
            fundings[index] += random.triangular(40) - fundings[index] / 1_000
            openInterests[index] = Swift.max(100_000, openInterests[index] + openInterests[index] * random.triangular(150) / 1_000_000)
        }
        var json = CanonicalJSONWriter(capacity: 96)
        json.beginObject()
        json.key("funding_e8"); json.int(fundings[index])
        json.key("mid_e8"); json.int(mids[index])
        json.key("open_interest_e2"); json.int(openInterests[index])
        json.key("symbol"); json.raw(symbolJSON[index])
        json.endObject()
        let tick = EventDraft(id: idPrefix + String(version == 1 ? Int64(step) : timestamp) + "-" + String(index), type: MarketTick.type, schemaVersion: MarketTick.version,
                              stream: streams[index], timestampMs: timestamp, payload: json.bytes)
        asset += 1
        if asset == symbols.count {
            asset = 0
            step += 1
        }
        if pending.isEmpty { return tick }
        pending.append(tick)
        return pending.removeFirst()
    }

    private func universe() -> EventDraft {
        let assets = symbols.enumerated().map { index, symbol in
            HyperliquidUniverse.UniverseAsset(symbol: symbol, index: Int64(index), kind: "perp", quote: "USDC", sizeDecimals: 3,
                                              maxLeverage: index < 2 ? 40 : 20, onlyIsolated: false, delisted: false)
        }
        return try! HyperliquidUniverse(dex: "", assets: assets)
            .draft(id: version == 1 ? "sim-\(seed)-universe" : idPrefix + "universe-\(startMs)", stream: "source.hyperliquid", timestampMs: startMs)
    }

    /// The hour's contexts; the spread (impact prices) and premium are drawn, the rest follows the ticks.
    private mutating func contexts(at timestamp: Int64) -> EventDraft {
        var rows: [HyperliquidAssetContexts.AssetContext] = []
        for index in symbols.indices {
            let mid = mids[index]
            hourlyMids[index].append(mid)
            if hourlyMids[index].count > 25 { hourlyMids[index].removeFirst() }
            // Version 2: the impact spread widens with volatility, and the premium is what the funding
            // follows (hourly funding ≈ baseline + premium / 8).
            let halfSpreadBp: Int64 = lively.map { $0.profiles[index].baseSpreadBp * $0.volatilityPerMille(index) / 1_000 } ?? 0
            let halfSpread = Swift.max(1, mid * Int64(1 + random.next() % 15 + UInt64(halfSpreadBp)) / 20_000)
            let coinsE8 = Int64(clamping: Int128(openInterests[index]) * 100_000_000_000_000 / Int128(mid))
            // (Drawn in this order: version 1's bytes depend on it.)
            let oracle = mid + mid * random.triangular(5) / 100_000
            let premium = lively == nil ? random.triangular(400_000)
                : (fundings[index] - LivelyPaths.fundingBaselineE8) * 80_000 + random.triangular(40_000)
            rows.append(.init(
                symbol: symbols[index], markPxE8: mid, oraclePxE8: oracle, midPxE8: mid,
                prevDayPxE8: hourlyMids[index][0], fundingE12: fundings[index] * 10_000, premiumE12: premium,
                openInterestE8: coinsE8, dayNotionalVolumeE2: Int64(clamping: Int128(openInterests[index]) * Int128(1 + random.next() % 40) / 10),
                impactBidPxE8: mid - halfSpread, impactAskPxE8: mid + halfSpread))
        }
        return try! HyperliquidAssetContexts(dex: "", contexts: rows)
            .draft(id: idPrefix + "contexts-\(timestamp)", stream: "source.hyperliquid", timestampMs: timestamp)
    }

    /// The hour's order-book summaries (`hyperliquid.book_summary`): a drawn spread of 1 to 8 basis
    /// points around the mid, and depth within 1% of the mid drawn from 0.5% to 3% of the open
    /// interest on each side. Written straight as canonical JSON (keys in byte order), like the ticks.
    private mutating func books(at timestamp: Int64) -> [EventDraft] {
        symbols.indices.map { index in
            let mid = mids[index]
            let spreadBp: Int64, bidDepth: Int64, askDepth: Int64
            if var paths = lively {
                spreadBp = paths.spreadBp(index)
                bidDepth = paths.depth(index, openInterest: openInterests[index])
                askDepth = paths.depth(index, openInterest: openInterests[index])
                lively = paths
            } else {
                spreadBp = Int64(1 + random.next() % 8)
                bidDepth = openInterests[index] * Int64(5 + random.next() % 26) / 1_000
                askDepth = openInterests[index] * Int64(5 + random.next() % 26) / 1_000
            }
            let half = Swift.max(1, mid * spreadBp / 20_000)
            var json = CanonicalJSONWriter(capacity: 160)
            json.beginObject()
            json.key("ask_depth_e2"); json.int(askDepth)
            json.key("best_ask_e8"); json.int(mid + half)
            json.key("best_bid_e8"); json.int(mid - half)
            json.key("bid_depth_e2"); json.int(bidDepth)
            json.key("levels"); json.int(20)
            json.key("spread_bp"); json.int(spreadBp)
            json.key("symbol"); json.raw(symbolJSON[index])
            json.endObject()
            return EventDraft(id: idPrefix + "book-" + String(timestamp) + "-" + String(index), type: HyperliquidBookSummary.type,
                              schemaVersion: HyperliquidBookSummary.version, stream: streams[index], timestampMs: timestamp, payload: json.bytes)
        }
    }
}
