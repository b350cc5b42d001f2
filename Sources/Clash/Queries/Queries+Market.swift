import ClashCore
import LedgerLog
import Projections

extension AssetSelection.Selected {
    /// The asset as one canonical JSON object: categories, dex, kind, quote, symbol.
    public var canonicalJSON: [UInt8] {
        var json = CanonicalJSONWriter()
        json.beginObject()
        json.key("categories"); json.beginArray()
        for path in categories { json.string(path) }
        json.endArray()
        json.key("dex"); json.string(dex)
        json.key("kind"); json.string(kind)
        json.key("quote"); json.string(quote)
        json.key("symbol"); json.string(symbol)
        json.endObject()
        return json.bytes
    }
}

extension Queries {
    /// The assets a selection picks (the Asset Block's rule): a category, with symbols added and
    /// left out; `AssetSelection.Problem` for an unknown category.
    public func assets(category: String, include: [String] = [], exclude: [String] = []) throws -> [AssetSelection.Selected] {
        try access.read("market_memory") { try AssetSelection.select($0, category: category, include: include, exclude: exclude) }
    }

    /// The latest data an asset would receive in a context packet, as of `asOfMs` (default: the
    /// newest time in market memory); nil when no universe lists it.
    public func latest(_ symbol: String, asOfMs: Int64? = nil) throws -> AssetLatest? {
        try access.marketMemory { try $0.latest(symbol, asOfMs: asOfMs) }
    }
}
