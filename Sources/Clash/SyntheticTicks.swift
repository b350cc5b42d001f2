import ClashCore
import LedgerLog

/// Deterministic synthetic market ticks for benchmarks and demos: 50 perpetual symbols, a random
/// walk of mid prices, funding and open interest in fixed-point integers, about 100 ticks a second.
/// The tick's time is the envelope's timestamp (not repeated in the payload).
/// Integer arithmetic only, so the same seed gives the same bytes on every machine.
public struct SyntheticTicks: Sequence, IteratorProtocol {
    public static let bases = [
        "BTC", "ETH", "SOL", "BNB", "XRP", "DOGE", "ADA", "AVAX", "LINK", "DOT",
        "MATIC", "LTC", "BCH", "UNI", "ATOM", "ETC", "XLM", "FIL", "APT", "ARB",
        "OP", "NEAR", "INJ", "SUI", "TIA", "SEI", "AAVE", "MKR", "LDO", "RNDR",
        "IMX", "STX", "FTM", "ALGO", "SAND", "MANA", "AXS", "GALA", "CRV", "SNX",
        "COMP", "DYDX", "GMX", "PEPE", "WIF", "BONK", "JUP", "PYTH", "TRX", "TON",
    ]
    public static let symbols = bases.map { $0 + "-PERP" }
    public static let streams = symbols.map { Streams.market($0) }
    public static let startMs: Int64 = 1_717_200_000_000

    private var random: SplitMix64
    private let seed: UInt64
    private var midsE8: [Int64]
    private var fundingsE8: [Int64]
    private var openInterestsE2: [Int64]
    private var timestampMs = startMs
    private var index: UInt64 = 0

    public init(seed: UInt64) {
        self.seed = seed
        random = SplitMix64(seed: seed)
        var random = random
        // Mid prices spread log-uniformly from 1e-5 to about 6e4 (as 1e8 fixed point).
        midsE8 = Self.symbols.map { _ in
            let exponent = Int(random.next() % 10)
            var price: Int64 = 1_000
            for _ in 0..<exponent { price *= 10 }
            return price + Int64(random.next() % UInt64(price))
        }
        fundingsE8 = Self.symbols.map { _ in Int64(random.next() % 90_000) - 30_000 }
        openInterestsE2 = Self.symbols.map { _ in Int64(random.next() % 300_000_000_000) + 100_000_000 }
        self.random = random
    }

    /// The next tick, as an event draft for stream `market.<SYMBOL>`.
    public mutating func next() -> EventDraft? {
        let symbol = Int(random.next() % 50)
        timestampMs += Int64(random.next() % 21)
        midsE8[symbol] = Swift.max(1, midsE8[symbol] + midsE8[symbol] * random.triangular(400) / 1_000_000)
        fundingsE8[symbol] += random.triangular(200)
        openInterestsE2[symbol] = Swift.max(100_000, openInterestsE2[symbol] + openInterestsE2[symbol] * random.triangular(200) / 1_000_000)
        index += 1
        var json = CanonicalJSONWriter(capacity: 96)
        json.beginObject()
        json.key("funding_e8"); json.int(fundingsE8[symbol])
        json.key("mid_e8"); json.int(midsE8[symbol])
        json.key("open_interest_e2"); json.int(openInterestsE2[symbol])
        json.key("symbol"); json.string(Self.symbols[symbol])
        json.endObject()
        return EventDraft(
            id: "tick-\(seed)-\(index)", type: "market.tick", schemaVersion: 1, stream: Self.streams[symbol],
            timestampMs: timestampMs, payload: json.bytes)
    }
}
