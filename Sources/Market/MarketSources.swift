import Foundation
import Transport

/// One client per source, at configurable base URLs: fetches what an `IngestRequest` names.
public final class MarketSources: @unchecked Sendable {
    public struct BaseURLs: Sendable {
        public var hyperliquid = HyperliquidInfo.defaultBaseURL.absoluteString
        public var polymarket = PolymarketGamma.defaultBaseURL
        public var defillama = DefiLlamaNormalizer.defaultBaseURL
        public var stablecoins = DefiLlamaNormalizer.stablecoinsBaseURL

        public init() {}
    }

    public let urls: BaseURLs
    private let clients: [MarketSource: MarketClient]

    /// `policy` sets timeouts, retries and rate limits (its base URL is replaced per source).
    public init(urls: BaseURLs = BaseURLs(), policy: ClientPolicy? = nil, transport: any HTTPTransport = CurlTransport()) throws(IngestError) {
        self.urls = urls
        var clients: [MarketSource: MarketClient] = [:]
        for source in MarketSource.allCases {
            let base = source == .hyperliquid ? urls.hyperliquid : source == .polymarket ? urls.polymarket : urls.defillama
            guard let url = URL(string: base), url.scheme != nil else {
                throw IngestError(source: source.rawValue, request: "", field: "", reason: "base URL \(base) is not a URL")
            }
            var sourcePolicy = policy ?? ClientPolicy(baseURL: url)
            sourcePolicy.baseURL = url
            clients[source] = MarketClient(source: source.rawValue, policy: sourcePolicy, transport: transport)
        }
        self.clients = clients
    }

    /// The response's body, or every page of a Polymarket listing.
    public func fetch(_ request: IngestRequest) throws(IngestError) -> [[UInt8]] {
        let client = clients[request.source]!
        switch request.source {
        case .hyperliquid:
            let kind = HyperliquidRequest(rawValue: request.kind)!
            let body = HyperliquidInfo.body(kind, dex: request.dex, symbol: request.symbol, interval: request.interval,
                                            startMs: request.startMs, endMs: request.endMs)
            return [try client.fetch(HyperliquidInfo.request(kind, baseURL: client.policy.baseURL, body: body), kind: request.kind)]
        case .polymarket:
            return try PolymarketGamma.fetchPages(client, base: urls.polymarket, path: request.path, pageSize: request.pageSize)
        case .defillama:
            let kind = DefiLlamaNormalizer.Request(rawValue: request.kind)!
            let base = kind == .stablecoins ? urls.stablecoins : urls.defillama
            let address = base + kind.path(chain: request.chain)
            guard let url = URL(string: address) else {
                throw IngestError(source: "defillama", request: request.kind, field: "", reason: "\(address) is not a URL")
            }
            return [try client.fetch(HTTPRequest(method: "GET", url: url), kind: request.kind)]
        }
    }
}
