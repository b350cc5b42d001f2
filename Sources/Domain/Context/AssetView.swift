import ClashCore
import Foundation
import Canonical

/// One asset's market data as of a time, with every part a packet may carry already in canonical
/// JSON: built once per asset and time, then shared by every plan that reads the asset, so a
/// packet is put together by concatenation.
public struct AssetView {
    public let symbol: String
    public let asOfMs: Int64
    /// The data the view was built from (nil: not listed by then): for engines, quotes and marks.
    public let latest: AssetLatest?
    /// The canonical `asset` member: symbol, dex, kind, quote, max leverage, categories.
    let header: [UInt8]
    /// Channel data (canonical JSON) and its time, by channel name; candles and market lists apart.
    let sections: [String: Section]
    /// Each interval's candles, oldest first, one canonical object each.
    let candles: [String: [(openMs: Int64, bytes: [UInt8])]]
    let markets: [String: [(ts: Int64, bytes: [UInt8])]]
    /// Channel contents already put together, by channel key and lookback: plans share them.
    let built = BuiltChannels()

    final class BuiltChannels {
        /// By channel key and lookback (the key alone names interval and source).
        var contents: [String: [Int: (data: [UInt8]?, dataMs: Int64?, truncated: Bool)]] = [:]
    }

    struct Section: Sendable {
        var bytes: [UInt8]?
        var dataMs: Int64?
    }

    /// The view of `latest` (nil when market memory lists no such asset by then: every channel is
    /// stale). With `previous` (the same asset's view of an earlier time), each part whose data is
    /// unchanged keeps its bytes instead of being encoded again: the same bytes either way.
    public init(symbol: String, asOfMs: Int64, latest: AssetLatest?, previous: AssetView? = nil) throws {
        self.symbol = symbol
        self.asOfMs = asOfMs
        self.latest = latest
        guard let latest else {
            var writer = CanonicalJSONWriter()
            writer.beginObject()
            writer.key("listed"); writer.bool(false)
            writer.key("symbol"); writer.string(symbol)
            writer.endObject()
            header = writer.bytes
            sections = [:]
            candles = [:]
            markets = [:]
            return
        }
        let before = previous?.symbol == symbol ? previous?.latest : nil
        let kept = before.map { _ in previous! }
        let sameHeader = before.map { $0.categories == latest.categories
            && ($0.dex, $0.kind, $0.delisted, $0.maxLeverage, $0.quote, $0.symbol) == (latest.dex, latest.kind, latest.delisted, latest.maxLeverage, latest.quote, latest.symbol) } ?? false
        header = try kept.flatMap { sameHeader ? $0.header : nil }
            ?? Self.canonical(Header(categories: latest.categories, dex: latest.dex, kind: latest.kind, listed: !latest.delisted,
                                     maxLeverage: latest.maxLeverage, quote: latest.quote, symbol: latest.symbol))
        /// A section's bytes: the previous view's when its data is the same, else `encode()`.
        func bytes(_ name: String, same: Bool, _ encode: () throws -> [UInt8]?) rethrows -> [UInt8]? {
            if same, let section = kept?.sections[name] { return section.bytes }
            return try encode()
        }
        var sections: [String: Section] = [:]
        // Log positions are for fills and audits, not for the packet: left out (nil is not encoded).
        var price = latest.price
        price?.sequence = nil
        price?.contextSequence = nil
        var liquidity = latest.liquidity
        liquidity.bookSequence = nil
        sections["mids"] = Section(bytes: try price.map(Self.canonical), dataMs: price?.ts)
        sections["liquidity"] = Section(bytes: try bytes("liquidity", same: before?.liquidity == latest.liquidity) {
            liquidity.ts == nil ? nil : try Self.canonical(liquidity)
        }, dataMs: liquidity.ts)
        sections["funding"] = Section(bytes: try bytes("funding", same: before?.funding == latest.funding) {
            latest.funding.currentE12 == nil ? nil : try Self.canonical(latest.funding)
        }, dataMs: latest.funding.ts)
        sections["positioning"] = Section(bytes: try bytes("positioning", same: before?.positioning == latest.positioning) {
            latest.positioning.hourMs == nil ? nil : try Self.canonical(latest.positioning)
        }, dataMs: latest.positioning.hourMs)
        // Volatility's time: the newest candle of the intervals it is computed from.
        let finest = ["1m", "5m", "15m"].compactMap { latest.candles[$0]?.last?.openMs }.max()
        let volatility = latest.volatility
        let hasVolatility = volatility.realized1hBp != nil || volatility.realized4hBp != nil || volatility.realized24hBp != nil
        sections["volatility"] = Section(bytes: try bytes("volatility", same: before?.volatility == volatility) {
            hasVolatility ? try Self.canonical(volatility) : nil
        }, dataMs: hasVolatility ? finest : nil)
        let llama = latest.defillama
        let sameLlama = before?.defillama == llama
        sections["capital_base"] = Section(bytes: try bytes("capital_base", same: sameLlama) {
            try Self.canonical(CapitalBase(
                defiTvlE2: llama.defiTvl?.tvlE2, linkedChains: llama.linkedChains.map { .init(subject: $0.subject, tvlE2: $0.tvlE2) },
                linkedStablecoins: llama.linkedStablecoins.map { .init(subject: $0.subject, tvlE2: $0.tvlE2) },
                stablecoinSupplyE2: llama.stablecoinSupplyE2))
        }, dataMs: llama.ts)
        sections["flows"] = Section(bytes: try bytes("flows", same: sameLlama) {
            try Self.canonical(Flows(
                defiTvlChange1dBp: llama.defiTvl?.change1dBp, defiTvlChange7dBp: llama.defiTvl?.change7dBp,
                defiTvlChange30dBp: llama.defiTvl?.change30dBp,
                linkedChains: llama.linkedChains.map { .init(subject: $0.subject, change1dBp: $0.change1dBp, change7dBp: $0.change7dBp, change30dBp: $0.change30dBp) },
                stablecoinSupplyChange7dBp: llama.stablecoinSupplyChange7dBp))
        }, dataMs: llama.ts)
        sections["throughput"] = Section(bytes: try bytes("throughput", same: sameLlama) {
            try Self.canonical(Throughput(dexVolume24hE2: llama.dexVolume24hE2, fees24hE2: llama.fees24hE2))
        }, dataMs: llama.ts)
        let polymarket = latest.polymarket
        let samePolymarket = before?.polymarket == polymarket
        sections["immediate"] = Section(bytes: try bytes("immediate", same: samePolymarket) { try polymarket.immediate.map(Self.canonical) },
                                        dataMs: polymarket.immediate?.ts)
        sections["later"] = Section(bytes: try bytes("later", same: samePolymarket) { try polymarket.later.map(Self.canonical) },
                                    dataMs: polymarket.later?.ts)
        self.sections = sections
        if samePolymarket, let kept {
            markets = kept.markets
        } else {
            markets = [
                "discovery": try polymarket.discovery.map { ($0.ts, try Self.canonical($0)) },
                "recently_closed": try polymarket.recentlyClosed.map { ($0.ts, try Self.canonical($0)) },
            ]
        }
        candles = latest.candles.mapValues { list in list.map { ($0.openMs, Self.canonical($0)) } }
    }

    /// A candle's canonical JSON, written directly: a view holds over a hundred of them, and the
    /// general encoder is the slowest part of building a view (the golden packet pins the bytes).
    static func canonical(_ candle: AssetLatest.Candle) -> [UInt8] {
        var writer = CanonicalJSONWriter(capacity: 112)
        writer.beginObject()
        writer.key("close_e8"); writer.int(candle.closeE8)
        writer.key("high_e8"); writer.int(candle.highE8)
        writer.key("low_e8"); writer.int(candle.lowE8)
        writer.key("open_e8"); writer.int(candle.openE8)
        writer.key("open_ms"); writer.int(candle.openMs)
        if let volume = candle.volumeE8 { writer.key("volume_e8"); writer.int(volume) }
        writer.endObject()
        return writer.bytes
    }

    /// A part's canonical JSON, keys in snake case (straight to canonical bytes, no `JSONEncoder`).
    static func canonical<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        try CanonicalEncoder.encode(value, snakeCaseKeys: true)
    }

    struct Header: Encodable {
        var categories: [String]
        var dex: String
        var kind: String
        var listed: Bool
        var maxLeverage: Int64
        var quote: String
        var symbol: String
    }

    struct Amount: Encodable {
        var subject: String
        var tvlE2: Int64
    }

    struct CapitalBase: Encodable {
        var defiTvlE2: Int64?
        var linkedChains: [Amount]
        var linkedStablecoins: [Amount]
        var stablecoinSupplyE2: Int64?
    }

    struct Change: Encodable {
        var subject: String
        var change1dBp: Int64?
        var change7dBp: Int64?
        var change30dBp: Int64?
    }

    struct Flows: Encodable {
        var defiTvlChange1dBp: Int64?
        var defiTvlChange7dBp: Int64?
        var defiTvlChange30dBp: Int64?
        var linkedChains: [Change]
        var stablecoinSupplyChange7dBp: Int64?
    }

    struct Throughput: Encodable {
        var dexVolume24hE2: Int64?
        var fees24hE2: Int64?
    }
}
