import ArgumentParser
import Foundation
import EventSchemas
import LedgerLog
import Market

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
