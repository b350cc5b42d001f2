import EventSchemas
import Foundation
import LedgerLog

/// The three sources market data comes from.
public enum MarketSource: String, CaseIterable, Sendable {
    case hyperliquid, polymarket, defillama
}

/// One response to ingest: which source, which request, and its parameters. It knows how to turn
/// the response's body (or the pages of a paginated listing) into catalog events.
public struct IngestRequest: Sendable, Hashable, CustomStringConvertible {
    public var source: MarketSource
    /// The request's name: a Hyperliquid `/info` type, `markets` (Polymarket), or a DefiLlama request.
    public var kind: String
    /// Hyperliquid: the perp dex (empty: the default dex).
    public var dex = ""
    /// Hyperliquid: the asset of candleSnapshot, fundingHistory and l2Book.
    public var symbol: String?
    /// Hyperliquid: the candle interval of candleSnapshot.
    public var interval = "1h"
    /// Hyperliquid: the window of candleSnapshot and fundingHistory, ms.
    public var startMs: Int64?
    public var endMs: Int64?
    /// Hyperliquid candleSnapshot: keep only the candles closed before this time (the one still
    /// open changes until it closes, so it is never logged).
    public var closedBeforeMs: Int64?
    /// DefiLlama: the chain of historicalChainTvl (All: the whole of DeFi).
    public var chain = "All"
    /// Polymarket: the Gamma listing to read, with its filters (pages are added).
    public var path = "/markets?active=true&closed=false&order=volume24hr&ascending=false"
    /// Polymarket: items per page (`limit`); a shorter page is the last.
    public var pageSize = 100

    public init(source: MarketSource, kind: String) throws(IngestError) {
        self.source = source
        self.kind = kind
        guard Self.kinds(of: source).contains(kind) else {
            throw IngestError(source: source.rawValue, request: kind, field: "",
                              reason: "unknown request; \(source.rawValue) takes \(Self.kinds(of: source).joined(separator: ", "))")
        }
    }

    /// The requests a source takes.
    public static func kinds(of source: MarketSource) -> [String] {
        switch source {
        case .hyperliquid: return HyperliquidRequest.allCases.map(\.rawValue)
        case .polymarket: return ["markets"]
        case .defillama: return DefiLlamaNormalizer.Request.allCases.map(\.rawValue)
        }
    }

    public var description: String {
        var text = "\(source.rawValue) \(kind)"
        if !dex.isEmpty { text += " dex=\(dex)" }
        if let symbol { text += " \(symbol)" }
        if kind == HyperliquidRequest.candleSnapshot.rawValue { text += " \(interval)" }
        if kind == "historicalChainTvl" { text += " \(chain)" }
        return text
    }

    /// The events of a response (`pages` holds one body, or every page of a Polymarket listing).
    /// `observedMs` dates lists that carry no date of their own.
    public func normalize(pages: [[UInt8]], observedMs: Int64) throws(IngestError) -> [NormalizedEvent] {
        switch source {
        case .hyperliquid:
            let events = try HyperliquidNormalizer.normalize(HyperliquidRequest(rawValue: kind)!, body: pages.first ?? [], dex: dex)
            guard let closedBeforeMs else { return events }
            return events.compactMap { item in
                guard var candles = item.event as? HyperliquidCandles else { return item }
                candles.candles.removeAll { $0.closeMs >= closedBeforeMs }
                return candles.candles.isEmpty ? nil : NormalizedEvent(stream: item.stream, event: candles)
            }
        case .polymarket:
            return try PolymarketNormalizer.normalize(kind, pages: pages)
        case .defillama:
            return try DefiLlamaNormalizer.normalize(DefiLlamaNormalizer.Request(rawValue: kind)!, body: pages.first ?? [],
                                                     chain: chain, observedMs: observedMs)
        }
    }

    /// Drafts for one atomic append. Ids come from the source, the request and a hash of the
    /// bodies, so that ingesting the same response again writes nothing new.
    public func drafts(pages: [[UInt8]], timestampMs: Int64) throws -> [EventDraft] {
        let events = try normalize(pages: pages, observedMs: timestampMs)
        var hash = ChainHash.genesis
        for page in pages { hash = hash.next(page) }
        let digest = String(hash.hex.prefix(16))
        return try events.enumerated().map { index, item in
            try item.event.draft(id: "\(source.rawValue):\(kind):\(digest):\(index)", stream: item.stream, timestampMs: timestampMs)
        }
    }
}
