import ArgumentParser
import Foundation
import EventSchemas
import LedgerLog
import Market

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
