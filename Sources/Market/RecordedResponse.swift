import Foundation

/// What a recorded response file answers, read from its name, so a folder of recordings can be
/// ingested without a manifest. The rule:
///
/// - the source is the name of a folder on the file's path (`hyperliquid`, `polymarket`,
///   `defillama`), else the file name's first word;
/// - the request is the file name's first word (up to `_` or `.`): a Hyperliquid `/info` type
///   (`metaAndAssetCtxs_...json`), a DefiLlama request (`protocols_...json`), and for Polymarket any
///   `gamma_market_...` or `gamma_events_...` file (Gamma markets or events);
/// - a word `dex-NAME` names the Hyperliquid perp dex (`dex-default` is the default dex); for
///   `historicalChainTvl_CHAIN_...` the second word is the chain (`all`: the whole of DeFi).
///
/// Any other file is skipped, and reported as such.
public enum RecordedResponse {
    /// A folder's recordings, searched recursively and sorted by path (relative to the folder):
    /// the files the rule recognizes, with their requests, and the `.json` files it does not.
    /// Nil when the folder cannot be read.
    public static func files(in folder: String) -> (recognized: [(path: String, request: IngestRequest)], skipped: [String])? {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return nil }
        var recognized: [(path: String, request: IngestRequest)] = []
        var skipped: [String] = []
        for path in walker.compactMap({ $0 as? String }).filter({ $0.hasSuffix(".json") }).sorted() {
            if let request = request(forPath: path) { recognized.append((path, request)) } else { skipped.append(path) }
        }
        return (recognized, skipped)
    }

    public static func request(forPath path: String) -> IngestRequest? {
        let parts = path.split(separator: "/").map(String.init)
        guard let file = parts.last, file.hasSuffix(".json") else { return nil }
        let words = file.dropLast(5).split(separator: "_").map(String.init)
        guard let first = words.first else { return nil }
        let folders = Set(parts.dropLast())
        let source = MarketSource.allCases.first { folders.contains($0.rawValue) } ?? MarketSource(rawValue: first)
        switch source {
        case .hyperliquid?:
            guard var request = try? IngestRequest(source: .hyperliquid, kind: first) else { return nil }
            if let dex = words.first(where: { $0.hasPrefix("dex-") }) {
                request.dex = dex == "dex-default" ? "" : String(dex.dropFirst(4))
            }
            return request
        case .polymarket?:
            guard first == "gamma", words.count > 1, ["market", "markets", "events"].contains(words[1]) else { return nil }
            return try? IngestRequest(source: .polymarket, kind: "markets")
        case .defillama?:
            guard var request = try? IngestRequest(source: .defillama, kind: first) else { return nil }
            if first == "historicalChainTvl", words.count > 1 {
                request.chain = words[1].lowercased() == "all" ? "All" : words[1]
            }
            return request
        case nil:
            return nil
        }
    }
}
