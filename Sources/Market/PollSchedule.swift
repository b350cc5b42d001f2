/// A request polled on a cadence by `clash ingest run`.
public struct PollJob: Sendable {
    public var request: IngestRequest
    public var everySeconds: Int

    public init(request: IngestRequest, everySeconds: Int) {
        self.request = request
        self.everySeconds = everySeconds
    }
}

/// The default polling plan: fast-moving Hyperliquid state every minute, spot and Polymarket every
/// five minutes, slow-moving categories and DefiLlama hourly.
public enum PollSchedule {
    /// `dexes` adds the builder-deployed perp dexes whose universe and contexts are polled too.
    public static func standard(sources: Set<MarketSource> = Set(MarketSource.allCases), books: [String] = ["BTC", "ETH"],
                                dexes: [String] = []) -> [PollJob] {
        var jobs: [PollJob] = []
        func add(_ source: MarketSource, _ kind: String, every: Int, _ configure: (inout IngestRequest) -> Void = { _ in }) {
            guard sources.contains(source), var request = try? IngestRequest(source: source, kind: kind) else { return }
            configure(&request)
            jobs.append(PollJob(request: request, everySeconds: every))
        }
        add(.hyperliquid, "metaAndAssetCtxs", every: 60)
        for dex in dexes { add(.hyperliquid, "metaAndAssetCtxs", every: 60) { $0.dex = dex } }
        add(.hyperliquid, "allMids", every: 60)
        for symbol in books { add(.hyperliquid, "l2Book", every: 60) { $0.symbol = symbol } }
        add(.hyperliquid, "spotMetaAndAssetCtxs", every: 300)
        add(.hyperliquid, "perpCategories", every: 3_600)
        add(.polymarket, "markets", every: 300)
        for kind in ["chains", "historicalChainTvl", "stablecoins", "fees", "dexs", "protocols"] {
            add(.defillama, kind, every: 3_600)
        }
        return jobs
    }
}
