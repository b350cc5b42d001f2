import ArgumentParser
import Foundation
import EventSchemas
import LedgerLog
import Market

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
