/// The structured latest data one asset receives in a context packet: price, candles, liquidity,
/// funding pressure, volatility and positioning from Hyperliquid; related Polymarket markets;
/// DefiLlama macro rows. Integers at the scale in the name; absent when the memory has no data.
/// `AssetMemory.encode` writes it as JSON with snake_case keys.
public struct AssetLatest: Codable, Sendable, Equatable {
    public var symbol: String
    public var dex: String
    public var kind: String
    public var quote: String
    public var maxLeverage: Int64
    public var delisted: Bool
    public var categories: [String]
    /// The time the view is for: nothing logged after it is used.
    public var asOfMs: Int64
    public var price: Price?
    /// Per interval (1m, 5m, 15m, 1h, 4h), the newest candles, oldest first.
    public var candles: [String: [Candle]]
    public var liquidity: Liquidity
    public var funding: Funding
    public var volatility: Volatility
    public var positioning: Positioning
    public var polymarket: Polymarket
    public var defillama: DefiLlama

    public struct Price: Codable, Sendable, Equatable {
        public var midE8: Int64
        public var ts: Int64
        public var markPxE8: Int64?
        public var oraclePxE8: Int64?
        public var prevDayPxE8: Int64?
        /// Change of the mid against the previous day's price, basis points.
        public var change24hBp: Int64?
        /// 24-hour notional volume, USD × 10^2.
        public var dayNotionalVolumeE2: Int64?
    }

    public struct Candle: Codable, Sendable, Equatable {
        public var openMs: Int64
        public var openE8: Int64
        public var highE8: Int64
        public var lowE8: Int64
        public var closeE8: Int64
        /// Base-asset volume × 10^8 (exchange candles only).
        public var volumeE8: Int64?
    }

    public struct Liquidity: Codable, Sendable, Equatable {
        public var spreadBp: Int64?
        public var bestBidE8: Int64?
        public var bestAskE8: Int64?
        /// Notional within 1% of the mid, USD × 10^2.
        public var bidDepthE2: Int64?
        public var askDepthE2: Int64?
        public var impactBidPxE8: Int64?
        public var impactAskPxE8: Int64?
        /// Impact ask over impact bid, basis points of the mid.
        public var impactSpreadBp: Int64?
    }

    public struct Funding: Codable, Sendable, Equatable {
        /// Hourly rate × 10^12.
        public var currentE12: Int64?
        /// Mean of the hourly rates of the last 8 and 24 hours (truncated).
        public var average8hE12: Int64?
        public var average24hE12: Int64?
        public var premiumE12: Int64?
        /// Hourly samples in the last 24 hours.
        public var samples24h: Int
    }

    public struct Volatility: Codable, Sendable, Equatable {
        /// Realized volatility, basis points: the square root of the sum of squared close-to-close
        /// returns over the window (1h from 1m candles, 4h from 5m, 24h from 15m).
        public var realized1hBp: Int64?
        public var realized4hBp: Int64?
        public var realized24hBp: Int64?
    }

    public struct Positioning: Codable, Sendable, Equatable {
        /// Open interest, USD × 10^2.
        public var openInterestUsdE2: Int64?
        /// Change against 1, 4 and 24 hours before, basis points.
        public var change1hBp: Int64?
        public var change4hBp: Int64?
        public var change24hBp: Int64?
    }

    public struct Market: Codable, Sendable, Equatable {
        public var marketId: String
        public var question: String
        public var slug: String
        public var endMs: Int64?
        public var outcomes: [String]
        public var outcomePricesE6: [Int64]
        public var volumeE2: Int64
        public var liquidityE2: Int64
    }

    public struct Polymarket: Codable, Sendable, Equatable {
        /// Related open markets, by volume (up to 5).
        public var discovery: [Market]
        /// The related open market that resolves soonest after `asOfMs`.
        public var immediate: Market?
        /// The one resolving next after it.
        public var later: Market?
        /// Related closed markets, newest end first (up to 5).
        public var recentlyClosed: [Market]
    }

    public struct TVL: Codable, Sendable, Equatable {
        public var subject: String
        public var tvlE2: Int64
        public var change1dBp: Int64?
        public var change7dBp: Int64?
        public var change30dBp: Int64?
    }

    public struct DefiLlama: Codable, Sendable, Equatable {
        /// Every asset receives these: DeFi's total TVL and its flows, stablecoin supply, fees and DEX volume.
        public var defiTvl: TVL?
        public var stablecoinSupplyE2: Int64?
        public var stablecoinSupplyChange7dBp: Int64?
        public var fees24hE2: Int64?
        public var dexVolume24hE2: Int64?
        /// Chains and stablecoins linked to the asset (`AssetLinks`).
        public var linkedChains: [TVL]
        public var linkedStablecoins: [TVL]
    }
}
