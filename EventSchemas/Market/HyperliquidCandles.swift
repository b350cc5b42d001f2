/// OHLCV candles of one asset and interval (candleSnapshot).
public struct HyperliquidCandles: CatalogEvent {
    public static let type = "hyperliquid.candles"
    public static let version = 1
    public static let summary = "OHLCV candles of one asset and interval (candleSnapshot) (stream market.<SYMBOL>)."

    /// One entry of `HyperliquidCandles`.
    public struct Candle: Codable, Sendable, Equatable {
        /// Open time.
        public var openMs: Int64
        /// Close time.
        public var closeMs: Int64
        /// Open × 10^8.
        public var openE8: Int64
        /// High × 10^8.
        public var highE8: Int64
        /// Low × 10^8.
        public var lowE8: Int64
        /// Close × 10^8.
        public var closeE8: Int64
        /// Volume in coins × 10^8.
        public var volumeE8: Int64
        /// Number of trades.
        public var trades: Int64

        public init(openMs: Int64, closeMs: Int64, openE8: Int64, highE8: Int64, lowE8: Int64, closeE8: Int64, volumeE8: Int64, trades: Int64) {
            self.openMs = openMs
            self.closeMs = closeMs
            self.openE8 = openE8
            self.highE8 = highE8
            self.lowE8 = lowE8
            self.closeE8 = closeE8
            self.volumeE8 = volumeE8
            self.trades = trades
        }

        enum CodingKeys: String, CodingKey {
            case openMs = "open_ms"
            case closeMs = "close_ms"
            case openE8 = "open_e8"
            case highE8 = "high_e8"
            case lowE8 = "low_e8"
            case closeE8 = "close_e8"
            case volumeE8 = "volume_e8"
            case trades
        }
    }

    /// Asset name.
    public var symbol: String
    /// 1m, 5m, 15m, 1h, 4h or 1d.
    public var interval: String
    /// Candles in time order.
    public var candles: [Candle]

    public init(symbol: String, interval: String, candles: [Candle]) {
        self.symbol = symbol
        self.interval = interval
        self.candles = candles
    }

    enum CodingKeys: String, CodingKey {
        case symbol
        case interval
        case candles
    }
}
