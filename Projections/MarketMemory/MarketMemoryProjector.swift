import EventSchemas
import Foundation
import GRDB
import LedgerLog

/// Market memory from Hyperliquid's events: the universe (delistings kept), the latest context,
/// mid and book summary per asset, funding history and exchange candles. Events are decoded
/// through the catalog, so a payload that does not fit its type stops the fold at its sequence.
public struct MarketMemoryProjector: Projector {
    public let name = "market_memory"
    public let version = 1
    public let schemaSQL = Resources.sql("market_memory")
    public let eventTypes: Set<String>? = [
        HyperliquidUniverse.type, HyperliquidAssetContexts.type, HyperliquidMids.type, HyperliquidBookSummary.type,
        HyperliquidFunding.type, HyperliquidCandles.type,
    ]

    public init() {}

    public func makeFold(_ db: Database) throws -> any ProjectorFold { Fold(db: db, projector: name) }

    struct Fold: ProjectorFold {
        let db: Database
        let projector: String

        mutating func apply(_ record: LogRecord) throws {
            let event: any CatalogEvent
            do { event = try EventCatalog.decode(record) } catch {
                throw ProjectionError.badEvent(projector: projector, sequence: record.sequence, type: record.type, reason: "\(error)")
            }
            let seq = Int64(record.sequence)
            let ts = record.timestampMs
            switch event {
            case let universe as HyperliquidUniverse:
                for asset in universe.assets {
                    try db.execute(sql: """
                        INSERT OR REPLACE INTO asset VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [universe.dex, asset.symbol, asset.kind, asset.quote, asset.sizeDecimals, asset.maxLeverage,
                                         asset.onlyIsolated, asset.delisted, seq])
                }
            case let contexts as HyperliquidAssetContexts:
                for c in contexts.contexts {
                    try db.execute(sql: "INSERT OR REPLACE INTO asset_context VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   arguments: [contexts.dex, c.symbol, c.markPxE8, c.oraclePxE8, c.midPxE8, c.prevDayPxE8, c.fundingE12,
                                               c.premiumE12, c.openInterestE8, c.dayNotionalVolumeE2, c.impactBidPxE8, c.impactAskPxE8, ts, seq])
                }
            case let mids as HyperliquidMids:
                let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO mid VALUES (?, ?, ?, ?, ?)")
                for mid in mids.mids {
                    try statement.execute(arguments: [mids.dex, mid.symbol, mid.midE8, ts, seq])
                }
            case let book as HyperliquidBookSummary:
                try db.execute(sql: "INSERT OR REPLACE INTO book VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: [book.symbol, book.bestBidE8, book.bestAskE8, book.spreadBp, book.bidDepthE2, book.askDepthE2, ts, seq])
            case let funding as HyperliquidFunding:
                for entry in funding.entries {
                    try db.execute(sql: "INSERT OR REPLACE INTO funding VALUES (?, ?, ?, ?)",
                                   arguments: [funding.symbol, entry.timeMs, entry.fundingE12, entry.premiumE12])
                }
            case let candles as HyperliquidCandles:
                for candle in candles.candles {
                    try db.execute(sql: "INSERT OR REPLACE INTO candle VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   arguments: [candles.symbol, candles.interval, candle.openMs, candle.openE8, candle.highE8, candle.lowE8,
                                               candle.closeE8, candle.volumeE8, candle.trades])
                }
            default:
                break
            }
        }

        mutating func flush() throws {}
    }
}
