import EventSchemas
import LedgerLog

/// Spot and category responses of Hyperliquid `/info`.
extension HyperliquidNormalizer {
    /// The spot universe of a `spotMeta` object: pairs named BASE/QUOTE from the token list, and the
    /// exchange's coin name of each pair (`PURR/USDC` or `@<index>`).
    static func spotUniverse(_ meta: JSONValue, _ path: String, _ reader: ResponseReader) throws(IngestError)
        -> (universe: HyperliquidUniverse, symbolByCoin: [String: String]) {
        var tokens: [Int64: (name: String, sizeDecimals: Int64)] = [:]
        for (index, token) in try reader.array(meta["tokens"], path + "tokens").enumerated() {
            let at = path + "tokens[\(index)]"
            tokens[try reader.integer(token["index"], at + ".index")] =
                (try reader.string(token["name"], at + ".name"), try reader.integer(token["szDecimals"], at + ".szDecimals"))
        }
        var assets: [HyperliquidUniverse.UniverseAsset] = []
        var symbolByCoin: [String: String] = [:]
        for (index, pair) in try reader.array(meta["universe"], path + "universe").enumerated() {
            let at = path + "universe[\(index)]"
            let legs = try reader.array(pair["tokens"], at + ".tokens")
            guard legs.count == 2 else { throw reader.fail(at + ".tokens", "expected [base, quote] token indexes") }
            guard let base = tokens[try reader.integer(legs[0], at + ".tokens[0]")] else {
                throw reader.fail(at + ".tokens[0]", "no token with this index in tokens")
            }
            guard let quote = tokens[try reader.integer(legs[1], at + ".tokens[1]")] else {
                throw reader.fail(at + ".tokens[1]", "no token with this index in tokens")
            }
            let symbol = base.name + "/" + quote.name
            symbolByCoin[try reader.string(pair["name"], at + ".name")] = symbol
            assets.append(.init(symbol: symbol, index: try reader.integer(pair["index"], at + ".index"), kind: "spot",
                                quote: quote.name, sizeDecimals: base.sizeDecimals, maxLeverage: 0, onlyIsolated: false, delisted: false))
        }
        return (HyperliquidUniverse(dex: "spot", assets: assets), symbolByCoin)
    }

    /// `[spotMeta, contexts]`. Contexts are matched to pairs by coin name; a context for a pair the
    /// universe no longer lists is left out.
    static func spotMetaAndContexts(_ json: JSONValue, _ reader: ResponseReader) throws(IngestError) -> [NormalizedEvent] {
        let pair = try reader.array(json, "")
        guard pair.count == 2 else { throw reader.fail("", "expected [spotMeta, assetContexts]") }
        let (universe, symbolByCoin) = try spotUniverse(pair[0], "[0].", reader)
        var contexts: [HyperliquidSpotContexts.SpotContext] = []
        for (index, context) in try reader.array(pair[1], "[1]").enumerated() {
            let at = "[1][\(index)]"
            let coin = try reader.string(context["coin"], at + ".coin")
            guard let symbol = symbolByCoin[coin] else { continue }
            contexts.append(.init(
                symbol: symbol, coin: coin,
                markPxE8: try reader.fixed(context["markPx"], at + ".markPx", scale: 8, rounding: .halfEven),
                midPxE8: try reader.optionalFixed(context["midPx"], at + ".midPx", scale: 8, rounding: .halfEven),
                prevDayPxE8: try reader.fixed(context["prevDayPx"], at + ".prevDayPx", scale: 8, rounding: .halfEven),
                dayNotionalVolumeE2: try reader.fixed(context["dayNtlVlm"], at + ".dayNtlVlm", scale: 2, rounding: .halfEven)))
        }
        return [NormalizedEvent(stream: sourceStream, event: universe),
                NormalizedEvent(stream: sourceStream, event: HyperliquidSpotContexts(contexts: contexts))]
    }

    /// `[[coin, category], ...]`: the deployers' categories of builder-deployed perps, as the
    /// exchange spells them (the read model maps them onto the project's category paths).
    static func perpCategories(_ json: JSONValue, _ reader: ResponseReader) throws(IngestError) -> NormalizedEvent {
        var entries: [HyperliquidCategories.CategoryEntry] = []
        for (index, item) in try reader.array(json, "").enumerated() {
            let at = "[\(index)]"
            let pair = try reader.array(item, at)
            guard pair.count == 2 else { throw reader.fail(at, "expected [coin, category]") }
            entries.append(.init(symbol: try reader.string(pair[0], at + "[0]"), category: try reader.string(pair[1], at + "[1]")))
        }
        return NormalizedEvent(stream: sourceStream, event: HyperliquidCategories(source: "perp_categories", mappingVersion: 0, entries: entries))
    }
}
