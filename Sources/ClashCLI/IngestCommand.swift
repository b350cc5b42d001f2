import ArgumentParser
import Foundation
import LedgerLog
import Market

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Bring market data into the log as events.", subcommands: [IngestHyperliquid.self])
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
        let timestamp = at ?? Int64(Date().timeIntervalSince1970 * 1000)
        let drafts = try Ingestion.drafts(events, source: "hyperliquid", request: request, body: bytes, timestampMs: timestamp)
        let log = try FileLog.open(directory: data.logDirectory)
        defer { try? log.close() }
        let result = try log.append(drafts)
        Output.json { json in
            json.beginObject()
            json.key("events"); json.int(drafts.count)
            json.key("first_sequence"); json.uint(result.firstSequence)
            json.key("request"); json.string(request)
            json.key("written"); json.bool(result.written)
            json.endObject()
        }
    }
}
