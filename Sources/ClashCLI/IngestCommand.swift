import ArgumentParser
import Foundation
import LedgerLog
import Market

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Bring market data into the log as events.",
        subcommands: [IngestHyperliquid.self, IngestPolymarket.self, IngestDefiLlama.self])
}

struct IngestHyperliquid: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "hyperliquid",
        abstract: "Fetch (or read a recorded) Hyperliquid /info response and append its events (all or nothing).")

    @OptionGroup var data: DataOptions
    @Option(help: "A recorded response body to ingest instead of fetching.") var fromFile: String?
    @Option(help: "The API's base URL.") var baseUrl = HyperliquidInfo.defaultBaseURL.absoluteString
    @Option(help: "The asset, for candleSnapshot, fundingHistory and l2Book.") var symbol: String?
    @Option(help: "The candle interval, for candleSnapshot.") var interval = "1h"
    @Option(help: "Start of the window in ms, for candleSnapshot and fundingHistory.") var start: Int64?
    @Option(help: "End of the window in ms, for candleSnapshot and fundingHistory.") var end: Int64?
    @Option(help: "What the response answers: \(HyperliquidRequest.allCases.map(\.rawValue).joined(separator: ", ")).")
    var request: String
    @Option(help: "The perp dex the response is for (empty: the default dex).") var dex = ""
    @Option(help: "The events' time in ms since the epoch (default: now).") var at: Int64?

    func validate() throws {
        guard HyperliquidRequest(rawValue: request) != nil else {
            throw ValidationError("--request must be one of \(HyperliquidRequest.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func execute() throws {
        let kind = HyperliquidRequest(rawValue: request)!
        let bytes: [UInt8]
        if let fromFile {
            guard let body = FileManager.default.contents(atPath: fromFile) else { throw ValidationError("cannot read \(fromFile)") }
            bytes = Array(body)
        } else {
            guard let base = URL(string: baseUrl) else { throw ValidationError("--base-url \(baseUrl) is not a URL") }
            let client = MarketClient(source: "hyperliquid", policy: ClientPolicy(baseURL: base))
            let body = HyperliquidInfo.body(kind, dex: dex, symbol: symbol, interval: interval, startMs: start, endMs: end)
            bytes = try client.fetch(HyperliquidInfo.request(kind, baseURL: base, body: body), kind: request)
        }
        let events = try HyperliquidNormalizer.normalize(kind, body: bytes, dex: dex)
        try appendIngested(events, source: "hyperliquid", request: request, body: bytes, at: at, data: data)
    }
}

/// Appends a response's events in one atomic append and prints what happened.
func appendIngested(_ events: [HyperliquidNormalizer.Normalized], source: String, request: String, body: [UInt8],
                    at: Int64?, data: DataOptions) throws {
    let timestamp = at ?? Int64(Date().timeIntervalSince1970 * 1000)
    let drafts = try Ingestion.drafts(events, source: source, request: request, body: body, timestampMs: timestamp)
    let log = try FileLog.open(directory: data.logDirectory)
    defer { try? log.close() }
    let result = try log.append(drafts)
    Output.json { json in
        json.beginObject()
        json.key("events"); json.int(drafts.count)
        json.key("first_sequence"); json.uint(result.firstSequence)
        json.key("request"); json.string(request)
        json.key("source"); json.string(source)
        json.key("written"); json.bool(result.written)
        json.endObject()
    }
}

/// A body from a file, or fetched with GET from `base + path` through the source's client.
func responseBody(fromFile: String?, source: String, base: String, path: String, request: String) throws -> [UInt8] {
    if let fromFile {
        guard let body = FileManager.default.contents(atPath: fromFile) else { throw ValidationError("cannot read \(fromFile)") }
        return Array(body)
    }
    guard let url = URL(string: base + path) else { throw ValidationError("\(base + path) is not a URL") }
    let client = MarketClient(source: source, policy: ClientPolicy(baseURL: url))
    return try client.fetch(HTTPRequest(method: "GET", url: url), kind: request)
}

struct IngestPolymarket: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "polymarket", abstract: "Fetch (or read a recorded) Gamma markets or events response and append its markets.")

    @OptionGroup var data: DataOptions
    @Option(help: "A recorded response body to ingest instead of fetching.") var fromFile: String?
    @Option(help: "The Gamma API's base URL.") var baseUrl = "https://gamma-api.polymarket.com"
    @Option(help: "The path to fetch: /markets?active=true&closed=false, /events?..., /markets/<id>.") var path = "/markets?active=true&closed=false&limit=100"
    @Option(help: "The events' time in ms since the epoch (default: now).") var at: Int64?

    func execute() throws {
        let body = try responseBody(fromFile: fromFile, source: "polymarket", base: baseUrl, path: path, request: "markets")
        try appendIngested(try PolymarketNormalizer.normalize("markets", body: body), source: "polymarket", request: "markets",
                           body: body, at: at, data: data)
    }
}

struct IngestDefiLlama: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "defillama", abstract: "Fetch (or read a recorded) DefiLlama /protocols or /v2/historicalChainTvl response and append it.")

    @OptionGroup var data: DataOptions
    @Option(help: "A recorded response body to ingest instead of fetching.") var fromFile: String?
    @Option(help: "protocols or historicalChainTvl.") var request = "protocols"
    @Option(help: "The chain of a historicalChainTvl response (All for the whole of DeFi).") var chain = "All"
    @Option(help: "The API's base URL.") var baseUrl = "https://api.llama.fi"
    @Option(help: "The events' time in ms since the epoch (default: now).") var at: Int64?

    func validate() throws {
        guard DefiLlamaNormalizer.Request(rawValue: request) != nil else { throw ValidationError("--request must be protocols or historicalChainTvl") }
    }

    func execute() throws {
        let kind = DefiLlamaNormalizer.Request(rawValue: request)!
        let path = kind == .protocols ? "/protocols" : (chain == "All" ? "/v2/historicalChainTvl" : "/v2/historicalChainTvl/" + chain)
        let body = try responseBody(fromFile: fromFile, source: "defillama", base: baseUrl, path: path, request: request)
        try appendIngested(try DefiLlamaNormalizer.normalize(kind, body: body, chain: chain), source: "defillama", request: request,
                           body: body, at: at, data: data)
    }
}
