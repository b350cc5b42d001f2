import ArgumentParser
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
    let drafts = try UnchangedUniverse().dropUnchanged(try request.drafts(pages: pages, timestampMs: at ?? Clock.nowMs()), log: log)
    printIngested(request, drafts: drafts, result: try log.append(drafts))
}

/// The wall clock, read only at the edge (never inside the domain or a projector).
enum Clock {
    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

struct IngestHyperliquid: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "hyperliquid",
        abstract: "Fetch (or read a recorded) Hyperliquid /info response and append its events (all or nothing).")

    @OptionGroup var data: DataOptions
    @OptionGroup var sources: SourceOptions
    @Option(help: "What the response answers: \(HyperliquidRequest.allCases.map(\.rawValue).joined(separator: ", ")).")
    var request: String
    @Option(help: "A recorded response body to ingest instead of fetching.") var fromFile: String?
    @Option(help: "Hyperliquid's base URL (the same as --hyperliquid-url).") var baseUrl: String?
    @Option(help: "The perp dex (empty: the default dex).") var dex = ""
    @Option(help: "The asset, for candleSnapshot, fundingHistory and l2Book.") var symbol: String?
    @Option(help: "The candle interval, for candleSnapshot.") var interval = "1h"
    @Option(help: "Start of the window in ms, for candleSnapshot and fundingHistory.") var start: Int64?
    @Option(help: "End of the window in ms, for candleSnapshot and fundingHistory.") var end: Int64?
    @Option(help: "The events' time in ms since the epoch (default: now).") var at: Int64?

    func validate() throws {
        guard HyperliquidRequest(rawValue: request) != nil else {
            throw ValidationError("--request must be one of \(HyperliquidRequest.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func execute() throws {
        var kind = try IngestRequest(source: .hyperliquid, kind: request)
        kind.dex = dex
        kind.symbol = symbol
        kind.interval = interval
        kind.startMs = start
        kind.endMs = end
        try ingestOne(kind, fromFile: fromFile, baseURL: baseUrl, at: at, sources: sources, data: data)
    }
}

struct IngestPolymarket: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "polymarket",
        abstract: "Fetch every page of a Gamma markets or events listing (or read a recorded response) and append its markets.")

    @OptionGroup var data: DataOptions
    @OptionGroup var sources: SourceOptions
    @Option(help: "A recorded response body to ingest instead of fetching.") var fromFile: String?
    @Option(help: "Gamma's base URL (the same as --polymarket-url).") var baseUrl: String?
    @Option(help: "The Gamma listing to read page by page: /markets?..., /events?...")
    var path = "/markets?active=true&closed=false&order=volume24hr&ascending=false"
    @Option(help: "Items per page; a shorter page is the last.") var pageSize = 100
    @Option(help: "The events' time in ms since the epoch (default: now).") var at: Int64?

    func validate() throws {
        guard pageSize >= 1 else { throw ValidationError("--page-size must be at least 1") }
    }

    func execute() throws {
        var kind = try IngestRequest(source: .polymarket, kind: "markets")
        kind.path = path
        kind.pageSize = pageSize
        try ingestOne(kind, fromFile: fromFile, baseURL: baseUrl, at: at, sources: sources, data: data)
    }
}

struct IngestDefiLlama: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "defillama", abstract: "Fetch (or read a recorded) DefiLlama response and append its events.")

    @OptionGroup var data: DataOptions
    @OptionGroup var sources: SourceOptions
    @Option(help: "What the response answers: \(DefiLlamaNormalizer.Request.allCases.map(\.rawValue).joined(separator: ", ")).")
    var request = "protocols"
    @Option(help: "A recorded response body to ingest instead of fetching.") var fromFile: String?
    @Option(help: "DefiLlama's base URL, stablecoins included (default: --defillama-url and --stablecoins-url).") var baseUrl: String?
    @Option(help: "The chain of a historicalChainTvl response (All: the whole of DeFi).") var chain = "All"
    @Option(help: "The events' time in ms since the epoch (default: now).") var at: Int64?

    func validate() throws {
        guard DefiLlamaNormalizer.Request(rawValue: request) != nil else {
            throw ValidationError("--request must be one of \(DefiLlamaNormalizer.Request.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func execute() throws {
        var kind = try IngestRequest(source: .defillama, kind: request)
        kind.chain = chain
        try ingestOne(kind, fromFile: fromFile, baseURL: baseUrl, at: at, sources: sources, data: data)
    }
}

struct IngestCategories: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "categories",
        abstract: "Append the project's category mapping for Hyperliquid perps (or a mapping file) as an event.")

    @OptionGroup var data: DataOptions
    @Option(help: "A mapping file in the bundled file's format (default: the bundled categories.json).") var file: String?
    @Option(help: "The event's time in ms since the epoch (default: now).") var at: Int64?

    func execute() throws {
        let event = try CategoryMapping.event(path: file)
        let log = try FileLog.open(directory: data.logDirectory)
        defer { try? log.close() }
        let result = try appendCategories(event, at: at ?? Clock.nowMs(), log: log)
        Output.json { json in
            json.beginObject()
            json.key("entries"); json.int(event.entries.count)
            json.key("mapping_version"); json.int(event.mappingVersion)
            json.key("written"); json.bool(result.written)
            json.endObject()
        }
    }
}

/// Appends a category mapping; its id is its version and content hash, so the same mapping is written once.
func appendCategories(_ event: HyperliquidCategories, at: Int64, log: any LogStore) throws -> AppendResult {
    let payload = try event.canonicalPayload()
    let digest = String(ChainHash.genesis.next(payload).hex.prefix(16))
    return try log.append([try event.draft(id: "categories:v\(event.mappingVersion):\(digest)", stream: "source.hyperliquid", timestampMs: at)])
}
