import ClashCore
import EventSchemas
import Foundation
import GRDB
import LedgerLog

/// Market memory from the sources' events: Hyperliquid's universe (delistings kept), contexts,
/// mids, books, funding and exchange candles, categories; Polymarket markets; DefiLlama TVL,
/// stablecoins, fees and DEX volume. Events are decoded through the catalog, so a payload that does
/// not fit its type stops the fold at its sequence.
public struct MarketMemoryProjector: Projector {
    public let name = "market_memory"
    public let version = 2
    public let schemaSQL = Resources.sql("market_memory")
    public let eventTypes: Set<String>? = [
        HyperliquidUniverse.type, HyperliquidAssetContexts.type, HyperliquidSpotContexts.type, HyperliquidMids.type,
        HyperliquidBookSummary.type, HyperliquidFunding.type, HyperliquidCandles.type, HyperliquidCategories.type,
        PolymarketMarkets.type, DefiLlamaChainTVL.type, DefiLlamaProtocols.type, DefiLlamaStablecoins.type, DefiLlamaThroughput.type,
    ]

    public init() {}

    public func makeFold(_ db: Database) throws -> any ProjectorFold { Fold(db: db, projector: name) }

    struct Fold: ProjectorFold {
        let db: Database
        let projector: String

        mutating func apply(_ record: LogRecord) throws {
            if record.type == HyperliquidBookSummary.type && record.schemaVersion == HyperliquidBookSummary.version {
                return try book(record)
            }
            let event: any CatalogEvent
            do { event = try EventCatalog.decode(record) } catch {
                throw ProjectionError.badEvent(projector: projector, sequence: record.sequence, type: record.type, reason: "\(error)")
            }
            let at = Stamp(ts: record.timestampMs, sequence: Int64(record.sequence))
            switch event {
            case let event as HyperliquidUniverse: try universe(event, at)
            case let event as HyperliquidAssetContexts: try contexts(event, at)
            case let event as HyperliquidSpotContexts: try spotContexts(event, at)
            case let event as HyperliquidMids: try mids(event, at)
            case let event as HyperliquidFunding: try funding(event)
            case let event as HyperliquidCandles: try candles(event)
            case let event as HyperliquidCategories: try categories(event)
            case let event as PolymarketMarkets: try markets(event, at)
            case let event as DefiLlamaChainTVL: try chainTVL(event, at)
            case let event as DefiLlamaProtocols: try protocols(event, at)
            case let event as DefiLlamaStablecoins: try stablecoins(event, at)
            case let event as DefiLlamaThroughput: try throughput(event, at)
            default: break
            }
        }

        mutating func flush() throws {}

        /// The event's time and log position.
        struct Stamp {
            var ts: Int64
            var sequence: Int64
        }

        func run(_ sql: String, _ arguments: StatementArguments) throws {
            try db.cachedStatement(sql: sql).execute(arguments: arguments)
        }

        func universe(_ event: HyperliquidUniverse, _ at: Stamp) throws {
            // Listed again below when still listed; kept, marked, when not.
            try run("UPDATE asset SET delisted = 1 WHERE dex = ?", [event.dex])
            for asset in event.assets {
                try run("INSERT OR REPLACE INTO asset VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [event.dex, asset.symbol, asset.kind, asset.quote, asset.sizeDecimals, asset.maxLeverage,
                         asset.onlyIsolated, asset.delisted, at.sequence])
            }
        }

        func contexts(_ event: HyperliquidAssetContexts, _ at: Stamp) throws {
            let hour = CandleIntervals.floor(at.ts, 3_600_000)
            for c in event.contexts {
                try run("INSERT OR REPLACE INTO asset_context VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [event.dex, c.symbol, c.markPxE8, c.oraclePxE8, c.midPxE8, c.prevDayPxE8, c.fundingE12,
                         c.premiumE12, c.openInterestE8, c.dayNotionalVolumeE2, c.impactBidPxE8, c.impactAskPxE8, at.ts, at.sequence])
                try run("INSERT OR REPLACE INTO context_hour VALUES (?, ?, ?, ?, ?, ?)",
                        [c.symbol, hour, c.markPxE8, c.fundingE12, c.premiumE12, c.openInterestE8])
            }
        }

        func spotContexts(_ event: HyperliquidSpotContexts, _ at: Stamp) throws {
            for c in event.contexts {
                try run("INSERT OR REPLACE INTO spot_context VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [c.symbol, c.coin, c.markPxE8, c.midPxE8, c.prevDayPxE8, c.dayNotionalVolumeE2, at.ts, at.sequence])
            }
        }

        func mids(_ event: HyperliquidMids, _ at: Stamp) throws {
            for mid in event.mids {
                try run("INSERT OR REPLACE INTO mid VALUES (?, ?, ?, ?, ?)", [event.dex, mid.symbol, mid.midE8, at.ts, at.sequence])
            }
        }

        /// Book summaries come once per asset and poll: read with the one-pass field scanner rather
        /// than a JSON decoder (the same fields the catalog type requires, as integers).
        func book(_ record: LogRecord) throws {
            var symbol: String?
            var numbers: [Int64?] = Array(repeating: nil, count: 6)
            do {
                try PayloadFields.scan(record.payload) { key, value in
                    switch value {
                    case .string(let text) where PayloadFields.key(key, is: "symbol"): symbol = text
                    case .integer(let number):
                        if PayloadFields.key(key, is: "best_bid_e8") { numbers[0] = number }
                        else if PayloadFields.key(key, is: "best_ask_e8") { numbers[1] = number }
                        else if PayloadFields.key(key, is: "spread_bp") { numbers[2] = number }
                        else if PayloadFields.key(key, is: "bid_depth_e2") { numbers[3] = number }
                        else if PayloadFields.key(key, is: "ask_depth_e2") { numbers[4] = number }
                        else if PayloadFields.key(key, is: "levels") { numbers[5] = number }
                    default: break
                    }
                }
            } catch {
                throw ProjectionError.badEvent(projector: projector, sequence: record.sequence, type: record.type, reason: "\(error)")
            }
            guard let symbol, numbers.allSatisfy({ $0 != nil }) else {
                throw ProjectionError.badEvent(projector: projector, sequence: record.sequence, type: record.type,
                                               reason: "payload lacks symbol, best_bid_e8, best_ask_e8, spread_bp, bid_depth_e2, ask_depth_e2 or levels (as integers)")
            }
            try run("INSERT OR REPLACE INTO book VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [symbol, numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], record.timestampMs, Int64(record.sequence)])
        }

        func funding(_ event: HyperliquidFunding) throws {
            for entry in event.entries {
                try run("INSERT OR REPLACE INTO funding VALUES (?, ?, ?, ?)", [event.symbol, entry.timeMs, entry.fundingE12, entry.premiumE12])
            }
        }

        func candles(_ event: HyperliquidCandles) throws {
            for candle in event.candles {
                try run("INSERT OR REPLACE INTO exchange_candle VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [event.symbol, event.interval, candle.openMs, candle.openE8, candle.highE8, candle.lowE8,
                         candle.closeE8, candle.volumeE8, candle.trades])
            }
        }

        /// A newer event of a source replaces that source's rows.
        func categories(_ event: HyperliquidCategories) throws {
            let source = event.source == "mapping" ? "mapping" : "exchange"
            try run("DELETE FROM category WHERE source = ?", [source])
            for entry in event.entries {
                let path = source == "mapping" ? entry.category : AssetCategory.path(forExchangeCategory: entry.category)
                try run("INSERT OR REPLACE INTO category VALUES (?, ?, ?, ?, ?)", [entry.symbol, source, entry.category, path, event.mappingVersion])
            }
        }
    }
}
