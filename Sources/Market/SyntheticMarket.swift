import ClashCore
import EventSchemas
import LedgerLog

/// A deterministic synthetic market: `assets` perpetuals ticking every `stepMilliseconds` for
/// `hours`, with random-walk mids, drifting funding and open interest, as `market.tick` events.
/// Integer arithmetic only, so a seed gives the same events on every machine.
public struct SyntheticMarket: Sequence, IteratorProtocol {
    public let seed: UInt64
    public let symbols: [String]
    public let stepMilliseconds: Int64
    public let steps: Int
    public let startMs: Int64

    private var random: SplitMix64
    private var mids: [Int64]
    private var fundings: [Int64]
    private var openInterests: [Int64]
    private var step = 0
    private var asset = 0

    public init(seed: UInt64, assets: Int, hours: Int, stepMilliseconds: Int64 = 60_000, startMs: Int64 = 1_717_200_000_000) {
        precondition(assets >= 1 && hours >= 1 && stepMilliseconds >= 1, "a market of at least one asset, hour and millisecond")
        self.seed = seed
        self.stepMilliseconds = stepMilliseconds
        self.startMs = startMs
        steps = Int(Int64(hours) * 3_600_000 / stepMilliseconds)
        symbols = (0..<assets).map { $0 < Self.bases.count ? Self.bases[$0] : "SYN\($0)" }
        random = SplitMix64(seed: seed ^ 0x5EED_0F_C1A5)
        mids = []
        fundings = []
        openInterests = []
        for _ in 0..<assets {
            let exponent = Int(random.next() % 10)
            var price: Int64 = 1_000
            for _ in 0..<exponent { price *= 10 }
            mids.append(price + Int64(random.next() % UInt64(price)))
            fundings.append(Int64(random.next() % 90_000) - 30_000)
            openInterests.append(Int64(random.next() % 300_000_000_000) + 100_000_000)
        }
    }

    static let bases = ["BTC", "ETH", "SOL", "BNB", "XRP", "DOGE", "ADA", "AVAX", "LINK", "DOT", "LTC", "BCH", "UNI", "ATOM",
                        "ETC", "XLM", "FIL", "APT", "ARB", "OP", "NEAR", "INJ", "SUI", "TIA", "SEI", "AAVE", "MKR", "LDO"]

    /// How many events the market holds.
    public var count: Int { steps * symbols.count }

    public mutating func next() -> EventDraft? {
        guard step < steps else { return nil }
        let index = asset
        mids[index] = Swift.max(1, mids[index] + mids[index] * random.triangular(300) / 1_000_000)
        fundings[index] += random.triangular(150)
        openInterests[index] = Swift.max(100_000, openInterests[index] + openInterests[index] * random.triangular(150) / 1_000_000)
        let timestamp = startMs + Int64(step) * stepMilliseconds
        let symbol = symbols[index]
        var json = CanonicalJSONWriter(capacity: 96)
        json.beginObject()
        json.key("funding_e8"); json.int(fundings[index])
        json.key("mid_e8"); json.int(mids[index])
        json.key("open_interest_e2"); json.int(openInterests[index])
        json.key("symbol"); json.string(symbol + "-PERP")
        json.endObject()
        let draft = EventDraft(id: "sim-\(seed)-\(step)-\(index)", type: MarketTick.type, schemaVersion: MarketTick.version,
                               stream: "market.\(symbol)-PERP", timestampMs: timestamp, payload: json.bytes)
        asset += 1
        if asset == symbols.count {
            asset = 0
            step += 1
        }
        return draft
    }
}
