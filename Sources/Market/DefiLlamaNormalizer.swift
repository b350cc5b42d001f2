import EventSchemas
import LedgerLog

/// Turns DefiLlama responses into events: protocols, chains and chain TVL history (capital base
/// and flows), stablecoins, and the fees and DEX volume overviews (economic throughput).
public enum DefiLlamaNormalizer {
    public enum Request: String, CaseIterable, Sendable {
        case protocols, chains, historicalChainTvl, stablecoins, fees, dexs

        /// The path on the source's base URL (`chain` for one chain's TVL history).
        public func path(chain: String = "All") -> String {
            switch self {
            case .protocols: return "/protocols"
            case .chains: return "/v2/chains"
            case .historicalChainTvl: return chain == "All" ? "/v2/historicalChainTvl" : "/v2/historicalChainTvl/" + chain
            case .stablecoins: return "/stablecoins?includePrices=true"
            case .fees: return "/overview/fees?excludeTotalDataChart=true&excludeTotalDataChartBreakdown=true"
            case .dexs: return "/overview/dexs?excludeTotalDataChart=true&excludeTotalDataChartBreakdown=true"
            }
        }
    }

    /// DefiLlama's API, and the host of its stablecoin figures.
    public static let defaultBaseURL = "https://api.llama.fi"
    public static let stablecoinsBaseURL = "https://stablecoins.llama.fi"

    /// Throughput events keep the largest protocols, by 24-hour figure.
    public static let throughputProtocols = 50

    /// `observedMs` dates a list that carries no date of its own (`/v2/chains`).
    public static func normalize(_ request: Request, body: [UInt8], chain: String = "All", observedMs: Int64 = 0) throws(IngestError) -> [NormalizedEvent] {
        let reader = ResponseReader(source: "defillama", request: request.rawValue)
        let json = try reader.parse(body)
        let event: any CatalogEvent
        switch request {
        case .protocols: event = try protocols(json, reader)
        case .chains: event = try chains(json, observedMs: observedMs, reader)
        case .historicalChainTvl: event = try history(json, chain: chain, reader)
        case .stablecoins: event = try stablecoins(json, reader)
        case .fees: event = try throughput(json, metric: "fees", reader)
        case .dexs: event = try throughput(json, metric: "dex_volume", reader)
        }
        return [NormalizedEvent(stream: "source.defillama", event: event)]
    }

    private static func strings(_ value: JSONValue?, _ path: String, _ reader: ResponseReader) throws(IngestError) -> [String] {
        guard case .array(let items)? = value else { return [] }
        var out: [String] = []
        for (index, item) in items.enumerated() { out.append(try reader.string(item, path + "[\(index)]")) }
        return out
    }

    private static func optionalString(_ value: JSONValue?, _ path: String, _ reader: ResponseReader) throws(IngestError) -> String? {
        switch value {
        case nil, .null?: return nil
        default: return try reader.string(value, path)
        }
    }

    private static func protocols(_ json: JSONValue, _ reader: ResponseReader) throws(IngestError) -> DefiLlamaProtocols {
        var protocols: [DefiLlamaProtocols.ProtocolTVL] = []
        for (index, item) in try reader.array(json, "").enumerated() {
            let at = "[\(index)]"
            protocols.append(.init(
                slug: try reader.string(item["slug"], at + ".slug"), name: try reader.string(item["name"], at + ".name"),
                category: try optionalString(item["category"], at + ".category", reader) ?? "",
                chains: try strings(item["chains"], at + ".chains", reader),
                tvlE2: try reader.optionalFixed(item["tvl"], at + ".tvl", scale: 2, rounding: .halfEven) ?? 0))
        }
        return DefiLlamaProtocols(protocols: protocols)
    }

    private static func chains(_ json: JSONValue, observedMs: Int64, _ reader: ResponseReader) throws(IngestError) -> DefiLlamaChainTVL {
        var points: [DefiLlamaChainTVL.ChainTVLPoint] = []
        for (index, item) in try reader.array(json, "").enumerated() {
            let at = "[\(index)]"
            points.append(.init(chain: try reader.string(item["name"], at + ".name"), dateMs: observedMs,
                                tvlE2: try reader.optionalFixed(item["tvl"], at + ".tvl", scale: 2, rounding: .halfEven) ?? 0,
                                tokenSymbol: try optionalString(item["tokenSymbol"], at + ".tokenSymbol", reader)))
        }
        return DefiLlamaChainTVL(chain: nil, points: points)
    }

    private static func history(_ json: JSONValue, chain: String, _ reader: ResponseReader) throws(IngestError) -> DefiLlamaChainTVL {
        var points: [DefiLlamaChainTVL.ChainTVLPoint] = []
        for (index, item) in try reader.array(json, "").enumerated() {
            let at = "[\(index)]"
            points.append(.init(chain: chain, dateMs: try reader.integer(item["date"], at + ".date") * 1000,
                                tvlE2: try reader.fixed(item["tvl"], at + ".tvl", scale: 2, rounding: .halfEven)))
        }
        return DefiLlamaChainTVL(chain: chain, points: points)
    }

    private static func stablecoins(_ json: JSONValue, _ reader: ResponseReader) throws(IngestError) -> DefiLlamaStablecoins {
        var coins: [DefiLlamaStablecoins.Stablecoin] = []
        for (index, item) in try reader.array(json["peggedAssets"], "peggedAssets").enumerated() {
            let at = "peggedAssets[\(index)]"
            let peg = try reader.string(item["pegType"], at + ".pegType")
            // Circulating supply is keyed by the peg type: {"peggedUSD": 1.2e11}.
            let circulating = try reader.optionalFixed(item["circulating"]?[peg], at + ".circulating." + peg, scale: 2, rounding: .halfEven)
            coins.append(.init(symbol: try reader.string(item["symbol"], at + ".symbol"), name: try reader.string(item["name"], at + ".name"),
                               peg: peg.lowercased(), circulatingE2: circulating ?? 0, chains: try strings(item["chains"], at + ".chains", reader)))
        }
        return DefiLlamaStablecoins(stablecoins: coins)
    }

    /// An overview (`/overview/fees`, `/overview/dexs`): the totals, and the largest protocols.
    private static func throughput(_ json: JSONValue, metric: String, _ reader: ResponseReader) throws(IngestError) -> DefiLlamaThroughput {
        var entries: [DefiLlamaThroughput.ThroughputEntry] = []
        var sum: Int64 = 0
        for (index, item) in try reader.array(json["protocols"], "protocols").enumerated() {
            let at = "protocols[\(index)]"
            let name = try reader.string(item["name"], at + ".name")
            let slug = try optionalString(item["slug"], at + ".slug", reader) ?? name
            guard let total = try reader.optionalFixed(item["total24h"], at + ".total24h", scale: 2, rounding: .halfEven) else { continue }
            entries.append(.init(slug: slug, total24hE2: total))
            sum = sum.addingReportingOverflow(total).partialValue
        }
        entries.sort { ($0.total24hE2, $1.slug) > ($1.total24hE2, $0.slug) }
        let total24h = try reader.optionalFixed(json["total24h"], "total24h", scale: 2, rounding: .halfEven) ?? sum
        return DefiLlamaThroughput(metric: metric, total24hE2: total24h,
                                   total7dE2: try reader.optionalFixed(json["total7d"], "total7d", scale: 2, rounding: .halfEven),
                                   protocols: Array(entries.prefix(throughputProtocols)))
    }
}
