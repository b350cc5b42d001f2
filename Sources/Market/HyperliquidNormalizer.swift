import EventSchemas
import LedgerLog

/// The Hyperliquid `POST /info` requests this project ingests.
public enum HyperliquidRequest: String, CaseIterable, Sendable {
    case meta, metaAndAssetCtxs, spotMeta, spotMetaAndAssetCtxs, allMids, candleSnapshot, fundingHistory, l2Book, perpCategories
}

/// Turns Hyperliquid `/info` response bodies into catalog events: exact fixed-point numbers,
/// nulls handled, unknown fields ignored. A malformed response is an `IngestError` naming the
/// request and field; nothing of it becomes an event.
public enum HyperliquidNormalizer {
    public static func normalize(_ request: HyperliquidRequest, body: [UInt8], dex: String = "") throws(IngestError) -> [NormalizedEvent] {
        let reader = ResponseReader(source: "hyperliquid", request: request.rawValue)
        let json = try reader.parse(body)
        switch request {
        case .meta: return [NormalizedEvent(stream: sourceStream, event: HyperliquidUniverse(dex: dex, assets: try universe(json, "", reader).assets))]
        case .metaAndAssetCtxs: return try metaAndContexts(json, dex: dex, reader)
        case .spotMeta: return [NormalizedEvent(stream: sourceStream, event: try spotUniverse(json, "", reader).universe)]
        case .spotMetaAndAssetCtxs: return try spotMetaAndContexts(json, reader)
        case .perpCategories: return [try perpCategories(json, reader)]
        case .allMids: return [try mids(json, dex: dex, reader)]
        case .candleSnapshot: return try candles(json, reader)
        case .fundingHistory: return try funding(json, reader)
        case .l2Book: return [try book(json, reader)]
        }
    }

    static let sourceStream = "source.hyperliquid"

    private static func mids(_ json: JSONValue, dex: String, _ reader: ResponseReader) throws(IngestError) -> NormalizedEvent {
        var mids: [HyperliquidMids.SymbolMid] = []
        for member in try reader.object(json, "") {
            mids.append(.init(symbol: member.key, midE8: try reader.fixed(member.value, member.key, scale: 8)))
        }
        return NormalizedEvent(stream: sourceStream, event: HyperliquidMids(dex: dex, mids: mids))
    }

    private static func metaAndContexts(_ json: JSONValue, dex: String, _ reader: ResponseReader) throws(IngestError) -> [NormalizedEvent] {
        let pair = try reader.array(json, "")
        guard pair.count == 2 else { throw reader.fail("", "expected [meta, assetContexts]") }
        let (assets, symbols) = try universe(pair[0], "[0].", reader)
        let contexts = try reader.array(pair[1], "[1]")
        guard symbols.count == contexts.count else {
            throw reader.fail("[1]", "\(contexts.count) contexts for \(symbols.count) assets")
        }
        var rows: [HyperliquidAssetContexts.AssetContext] = []
        for (index, symbol) in symbols.enumerated() {
            let context = contexts[index]
            let at = "[1][\(index)]"
            var impactBid: Int64?
            var impactAsk: Int64?
            if case .array(let impact)? = context["impactPxs"] {
                guard impact.count == 2 else { throw reader.fail(at + ".impactPxs", "expected [bid, ask]") }
                impactBid = try reader.fixed(impact[0], at + ".impactPxs[0]", scale: 8)
                impactAsk = try reader.fixed(impact[1], at + ".impactPxs[1]", scale: 8)
            }
            rows.append(.init(
                symbol: symbol,
                markPxE8: try reader.fixed(context["markPx"], at + ".markPx", scale: 8),
                oraclePxE8: try reader.fixed(context["oraclePx"], at + ".oraclePx", scale: 8),
                midPxE8: try reader.optionalFixed(context["midPx"], at + ".midPx", scale: 8),
                prevDayPxE8: try reader.fixed(context["prevDayPx"], at + ".prevDayPx", scale: 8),
                fundingE12: try reader.fixed(context["funding"], at + ".funding", scale: 12),
                premiumE12: try reader.optionalFixed(context["premium"], at + ".premium", scale: 12),
                openInterestE8: try reader.fixed(context["openInterest"], at + ".openInterest", scale: 8, rounding: .halfEven),
                dayNotionalVolumeE2: try reader.fixed(context["dayNtlVlm"], at + ".dayNtlVlm", scale: 2, rounding: .halfEven),
                impactBidPxE8: impactBid, impactAskPxE8: impactAsk))
        }
        return [NormalizedEvent(stream: sourceStream, event: HyperliquidUniverse(dex: dex, assets: assets)),
                NormalizedEvent(stream: sourceStream, event: HyperliquidAssetContexts(dex: dex, contexts: rows))]
    }

    /// The perp universe of a `meta` object (at `path`): every asset, delisted ones marked.
    private static func universe(_ meta: JSONValue, _ path: String, _ reader: ResponseReader) throws(IngestError)
        -> (assets: [HyperliquidUniverse.UniverseAsset], symbols: [String]) {
        let list = try reader.array(meta["universe"], path + "universe")
        // Collateral token 0 is USDC; others are named by their spot token index.
        let collateral = meta["collateralToken"] == nil ? 0 : try reader.integer(meta["collateralToken"], path + "collateralToken")
        let quote = collateral == 0 ? "USDC" : "token:\(collateral)"
        var assets: [HyperliquidUniverse.UniverseAsset] = []
        for (index, asset) in list.enumerated() {
            let at = path + "universe[\(index)]"
            assets.append(.init(
                symbol: try reader.string(asset["name"], at + ".name"), index: Int64(index), kind: "perp", quote: quote,
                sizeDecimals: try reader.integer(asset["szDecimals"], at + ".szDecimals"),
                maxLeverage: try reader.integer(asset["maxLeverage"], at + ".maxLeverage"),
                onlyIsolated: try reader.bool(asset["onlyIsolated"], at + ".onlyIsolated", default: false),
                delisted: try reader.bool(asset["isDelisted"], at + ".isDelisted", default: false)))
        }
        return (assets, assets.map(\.symbol))
    }

    private static func candles(_ json: JSONValue, _ reader: ResponseReader) throws(IngestError) -> [NormalizedEvent] {
        let list = try reader.array(json, "")
        guard let first = list.first else { return [] }
        let symbol = try reader.string(first["s"], "[0].s")
        let interval = try reader.string(first["i"], "[0].i")
        var candles: [HyperliquidCandles.Candle] = []
        for (index, candle) in list.enumerated() {
            let at = "[\(index)]"
            guard try reader.string(candle["s"], at + ".s") == symbol else { throw reader.fail(at + ".s", "candles of two assets in one response") }
            candles.append(.init(
                openMs: try reader.integer(candle["t"], at + ".t"), closeMs: try reader.integer(candle["T"], at + ".T"),
                openE8: try reader.fixed(candle["o"], at + ".o", scale: 8), highE8: try reader.fixed(candle["h"], at + ".h", scale: 8),
                lowE8: try reader.fixed(candle["l"], at + ".l", scale: 8), closeE8: try reader.fixed(candle["c"], at + ".c", scale: 8),
                volumeE8: try reader.fixed(candle["v"], at + ".v", scale: 8), trades: try reader.integer(candle["n"], at + ".n")))
        }
        return [NormalizedEvent(stream: Streams.market(symbol), event: HyperliquidCandles(symbol: symbol, interval: interval, candles: candles))]
    }

    private static func funding(_ json: JSONValue, _ reader: ResponseReader) throws(IngestError) -> [NormalizedEvent] {
        let list = try reader.array(json, "")
        guard let first = list.first else { return [] }
        let symbol = try reader.string(first["coin"], "[0].coin")
        var entries: [HyperliquidFunding.FundingEntry] = []
        for (index, entry) in list.enumerated() {
            let at = "[\(index)]"
            entries.append(.init(
                timeMs: try reader.integer(entry["time"], at + ".time"),
                fundingE12: try reader.fixed(entry["fundingRate"], at + ".fundingRate", scale: 12),
                premiumE12: try reader.fixed(entry["premium"], at + ".premium", scale: 12)))
        }
        return [NormalizedEvent(stream: Streams.market(symbol), event: HyperliquidFunding(symbol: symbol, entries: entries))]
    }

    /// Best prices, spread, and the notional within 1% of the mid on each side.
    private static func book(_ json: JSONValue, _ reader: ResponseReader) throws(IngestError) -> NormalizedEvent {
        let symbol = try reader.string(json["coin"], "coin")
        let sides = try reader.array(json["levels"], "levels")
        guard sides.count == 2 else { throw reader.fail("levels", "expected [bids, asks]") }
        func levels(_ side: Int) throws(IngestError) -> [(px: Int64, sz: Int64)] {
            var out: [(px: Int64, sz: Int64)] = []
            for (index, level) in try reader.array(sides[side], "levels[\(side)]").enumerated() {
                let at = "levels[\(side)][\(index)]"
                out.append((try reader.fixed(level["px"], at + ".px", scale: 8), try reader.fixed(level["sz"], at + ".sz", scale: 8)))
            }
            return out
        }
        let bids = try levels(0)
        let asks = try levels(1)
        guard let bestBid = bids.first?.px, let bestAsk = asks.first?.px, bestAsk >= bestBid else {
            throw reader.fail("levels", "a book summary needs a bid and an ask, the ask not below the bid")
        }
        let mid = (Int128(bestBid) + Int128(bestAsk)) / 2
        // Spread in basis points of the mid, floored.
        let spread = Int64((Int128(bestAsk - bestBid) * 10_000) / max(mid, 1))
        // Notional (px × sz, both × 10^8) within 1% of the mid, in USD × 10^2, floored.
        func depth(_ side: [(px: Int64, sz: Int64)], within: (Int128) -> Bool) -> Int64 {
            let sum = side.filter { within(Int128($0.px)) }.reduce(Int128(0)) { $0 + Int128($1.px) * Int128($1.sz) }
            return Int64(sum / 100_000_000_000_000)
        }
        return NormalizedEvent(stream: Streams.market(symbol), event: HyperliquidBookSummary(
            symbol: symbol, bestBidE8: bestBid, bestAskE8: bestAsk, spreadBp: spread,
            bidDepthE2: depth(bids) { $0 * 100 >= mid * 99 }, askDepthE2: depth(asks) { $0 * 100 <= mid * 101 },
            levels: Int64(max(bids.count, asks.count))))
    }
}
