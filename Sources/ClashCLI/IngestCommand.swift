import ArgumentParser
import Clash
import Foundation
import EventSchemas
import LedgerLog
import Market

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Bring market data into the log as events.",
        subcommands: [IngestHyperliquid.self, IngestPolymarket.self, IngestDefiLlama.self, IngestCategories.self,
                      IngestDirectory.self, IngestRun.self])
}

/// Where the sources are, and the time to give the events.
struct SourceOptions: ParsableArguments {
    @Option(help: "Hyperliquid's base URL.") var hyperliquidUrl = HyperliquidInfo.defaultBaseURL.absoluteString
    @Option(help: "Polymarket Gamma's base URL.") var polymarketUrl = PolymarketGamma.defaultBaseURL
    @Option(help: "DefiLlama's base URL.") var defillamaUrl = DefiLlamaNormalizer.defaultBaseURL
    @Option(help: "DefiLlama's stablecoins base URL.") var stablecoinsUrl = DefiLlamaNormalizer.stablecoinsBaseURL
    @Option(help: "Seconds to wait for an answer before retrying.") var timeout: Double = 10

    /// The clients; `baseURL` (a single-source command's `--base-url`) replaces `source`'s URL.
    func sources(baseURL: String? = nil, for source: MarketSource? = nil) throws -> MarketSources {
        var urls = MarketSources.BaseURLs()
        urls.hyperliquid = hyperliquidUrl
        urls.polymarket = polymarketUrl
        urls.defillama = defillamaUrl
        urls.stablecoins = stablecoinsUrl
        if let baseURL {
            switch source {
            case .hyperliquid?: urls.hyperliquid = baseURL
            case .polymarket?: urls.polymarket = baseURL
            case .defillama?:
                urls.defillama = baseURL
                urls.stablecoins = baseURL
            case nil: break
            }
        }
        return try MarketSources(urls: urls, policy: ClientPolicy(baseURL: URL(string: "http://localhost")!, timeoutSeconds: timeout))
    }
}

/// What one ingested response did to the log, as a JSON line.
func printIngested(_ request: IngestRequest, drafts: [EventDraft], result: AppendResult, file: String? = nil) {
    Output.json { json in
        json.beginObject()
        json.key("events"); json.int(drafts.count)
        if let file { json.key("file"); json.string(file) }
        json.key("first_sequence"); json.uint(result.firstSequence)
        if request.kind == HyperliquidRequest.candleSnapshot.rawValue { json.key("interval"); json.string(request.interval) }
        json.key("request"); json.string(request.kind)
        json.key("source"); json.string(request.source.rawValue)
        if let symbol = request.symbol { json.key("symbol"); json.string(symbol) }
        json.key("written"); json.bool(result.written)
        json.endObject()
    }
}

/// Fetches (or reads from `fromFile`) one response and appends its events in one atomic append.
func ingestOne(_ request: IngestRequest, fromFile: String?, baseURL: String?, at: Int64?, sources: SourceOptions, data: DataOptions) throws {
    let pages: [[UInt8]]
    if let fromFile {
        guard let body = FileManager.default.contents(atPath: fromFile) else { throw ValidationError("cannot read \(fromFile)") }
        pages = [Array(body)]
    } else {
        pages = try sources.sources(baseURL: baseURL, for: request.source).fetch(request)
    }
    let log = try FileLog.open(directory: data.logDirectory)
    defer { try? log.close() }
    // A universe unchanged since the newest one logged is not logged again.
    let drafts = try UnchangedUniverse().dropUnchanged(try request.drafts(pages: pages, timestampMs: at ?? SystemClock.nowMs), log: log)
    printIngested(request, drafts: drafts, result: try log.append(drafts))
}

/// Appends a category mapping; its id is its version and content hash, so the same mapping is written once.
func appendCategories(_ event: HyperliquidCategories, at: Int64, log: any LogStore) throws -> AppendResult {
    let payload = try event.canonicalPayload()
    let digest = String(ChainHash.genesis.next(payload).hex.prefix(16))
    return try log.append([try event.draft(id: "categories:v\(event.mappingVersion):\(digest)", stream: "source.hyperliquid", timestampMs: at)])
}
