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
        /// Log sequence of the event the mid came from, and of the context giving mark and oracle:
        /// what a fill or funding payment names so that it can be recomputed.
        public var sequence: Int64?
        public var contextSequence: Int64?

        public init(midE8: Int64, ts: Int64, markPxE8: Int64? = nil, oraclePxE8: Int64? = nil, prevDayPxE8: Int64? = nil, change24hBp: Int64? = nil, dayNotionalVolumeE2: Int64? = nil, sequence: Int64? = nil, contextSequence: Int64? = nil) {
            self.sequence = sequence
            self.contextSequence = contextSequence
            self.midE8 = midE8
            self.ts = ts
            self.markPxE8 = markPxE8
            self.oraclePxE8 = oraclePxE8
            self.prevDayPxE8 = prevDayPxE8
            self.change24hBp = change24hBp
            self.dayNotionalVolumeE2 = dayNotionalVolumeE2
        }
    }

    public struct Candle: Codable, Sendable, Equatable {
        public var openMs: Int64
        public var openE8: Int64
        public var highE8: Int64
        public var lowE8: Int64
        public var closeE8: Int64
        /// Base-asset volume × 10^8 (exchange candles only).
        public var volumeE8: Int64?

        public init(openMs: Int64, openE8: Int64, highE8: Int64, lowE8: Int64, closeE8: Int64, volumeE8: Int64? = nil) {
            self.openMs = openMs
            self.openE8 = openE8
            self.highE8 = highE8
            self.lowE8 = lowE8
            self.closeE8 = closeE8
            self.volumeE8 = volumeE8
        }
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
        /// Time of the newest book or context the figures come from.
        public var ts: Int64?
        /// Log sequence of the book summary the spread came from.
        public var bookSequence: Int64?

        public init(spreadBp: Int64? = nil, bestBidE8: Int64? = nil, bestAskE8: Int64? = nil, bidDepthE2: Int64? = nil, askDepthE2: Int64? = nil, impactBidPxE8: Int64? = nil, impactAskPxE8: Int64? = nil, impactSpreadBp: Int64? = nil, ts: Int64? = nil, bookSequence: Int64? = nil) {
            self.bookSequence = bookSequence
            self.spreadBp = spreadBp
            self.bestBidE8 = bestBidE8
            self.bestAskE8 = bestAskE8
            self.bidDepthE2 = bidDepthE2
            self.askDepthE2 = askDepthE2
            self.impactBidPxE8 = impactBidPxE8
            self.impactAskPxE8 = impactAskPxE8
            self.impactSpreadBp = impactSpreadBp
            self.ts = ts
        }
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
        /// Time of the current rate: its context, else its hourly sample.
        public var ts: Int64?

        public init(currentE12: Int64? = nil, average8hE12: Int64? = nil, average24hE12: Int64? = nil, premiumE12: Int64? = nil, samples24h: Int = 0, ts: Int64? = nil) {
            self.currentE12 = currentE12
            self.average8hE12 = average8hE12
            self.average24hE12 = average24hE12
            self.premiumE12 = premiumE12
            self.samples24h = samples24h
            self.ts = ts
        }
    }

    public struct Volatility: Codable, Sendable, Equatable {
        /// Realized volatility, basis points: the square root of the sum of squared close-to-close
        /// returns over the window (1h from 1m candles, 4h from 5m, 24h from 15m).
        public var realized1hBp: Int64?
        public var realized4hBp: Int64?
        public var realized24hBp: Int64?

        public init(realized1hBp: Int64? = nil, realized4hBp: Int64? = nil, realized24hBp: Int64? = nil) {
            self.realized1hBp = realized1hBp
            self.realized4hBp = realized4hBp
            self.realized24hBp = realized24hBp
        }
    }

    public struct Positioning: Codable, Sendable, Equatable {
        /// Open interest, USD × 10^2.
        public var openInterestUsdE2: Int64?
        /// Change against 1, 4 and 24 hours before, basis points.
        public var change1hBp: Int64?
        public var change4hBp: Int64?
        public var change24hBp: Int64?
        /// The hour of the open interest figure.
        public var hourMs: Int64?

        public init(openInterestUsdE2: Int64? = nil, change1hBp: Int64? = nil, change4hBp: Int64? = nil, change24hBp: Int64? = nil, hourMs: Int64? = nil) {
            self.openInterestUsdE2 = openInterestUsdE2
            self.change1hBp = change1hBp
            self.change4hBp = change4hBp
            self.change24hBp = change24hBp
            self.hourMs = hourMs
        }
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
        /// When the listing holding this figure was logged.
        public var ts: Int64

        public init(marketId: String, question: String, slug: String, endMs: Int64? = nil, outcomes: [String] = [], outcomePricesE6: [Int64] = [], volumeE2: Int64, liquidityE2: Int64, ts: Int64) {
            self.marketId = marketId
            self.question = question
            self.slug = slug
            self.endMs = endMs
            self.outcomes = outcomes
            self.outcomePricesE6 = outcomePricesE6
            self.volumeE2 = volumeE2
            self.liquidityE2 = liquidityE2
            self.ts = ts
        }
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

        public init(discovery: [Market] = [], immediate: Market? = nil, later: Market? = nil, recentlyClosed: [Market] = []) {
            self.discovery = discovery
            self.immediate = immediate
            self.later = later
            self.recentlyClosed = recentlyClosed
        }
    }

    public struct TVL: Codable, Sendable, Equatable {
        public var subject: String
        public var tvlE2: Int64
        public var change1dBp: Int64?
        public var change7dBp: Int64?
        public var change30dBp: Int64?

        public init(subject: String, tvlE2: Int64, change1dBp: Int64? = nil, change7dBp: Int64? = nil, change30dBp: Int64? = nil) {
            self.subject = subject
            self.tvlE2 = tvlE2
            self.change1dBp = change1dBp
            self.change7dBp = change7dBp
            self.change30dBp = change30dBp
        }
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
        /// Time of the newest row used.
        public var ts: Int64?

        public init(defiTvl: TVL? = nil, stablecoinSupplyE2: Int64? = nil, stablecoinSupplyChange7dBp: Int64? = nil, fees24hE2: Int64? = nil, dexVolume24hE2: Int64? = nil, linkedChains: [TVL] = [], linkedStablecoins: [TVL] = [], ts: Int64? = nil) {
            self.defiTvl = defiTvl
            self.stablecoinSupplyE2 = stablecoinSupplyE2
            self.stablecoinSupplyChange7dBp = stablecoinSupplyChange7dBp
            self.fees24hE2 = fees24hE2
            self.dexVolume24hE2 = dexVolume24hE2
            self.linkedChains = linkedChains
            self.linkedStablecoins = linkedStablecoins
            self.ts = ts
        }
    }

    public init(symbol: String, dex: String, kind: String, quote: String, maxLeverage: Int64, delisted: Bool, categories: [String] = [], asOfMs: Int64, price: Price? = nil, candles: [String: [Candle]] = [:], liquidity: Liquidity = .init(), funding: Funding = .init(), volatility: Volatility = .init(), positioning: Positioning = .init(), polymarket: Polymarket = .init(), defillama: DefiLlama = .init()) {
        self.symbol = symbol
        self.dex = dex
        self.kind = kind
        self.quote = quote
        self.maxLeverage = maxLeverage
        self.delisted = delisted
        self.categories = categories
        self.asOfMs = asOfMs
        self.price = price
        self.candles = candles
        self.liquidity = liquidity
        self.funding = funding
        self.volatility = volatility
        self.positioning = positioning
        self.polymarket = polymarket
        self.defillama = defillama
    }
}
