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
        abstract: "Ingest a recorded Hyperliquid /info response (all or nothing: one atomic append).")

    @OptionGroup var data: DataOptions
    @Option(help: "A recorded response body.") var fromFile: String
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
        guard let body = FileManager.default.contents(atPath: fromFile) else { throw ValidationError("cannot read \(fromFile)") }
        let bytes = Array(body)
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
