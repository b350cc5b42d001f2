import ArgumentParser
import Clash
import Foundation
import LedgerLog
import Market

struct IngestDirectory: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "dir",
        abstract: "Ingest a folder of recorded responses: every file is read and checked first (one bad file: nothing is written), then each file is one append.",
        discussion: """
            A file's source and request come from its path: a folder named hyperliquid, polymarket or \
            defillama (or the name's first word), then the file name's first word — a Hyperliquid /info \
            type (metaAndAssetCtxs_2025-08-22.json, with dex-NAME for a perp dex), a DefiLlama request \
            (historicalChainTvl_CHAIN_....json), or gamma_market_... / gamma_events_... for Polymarket. \
            Other files are skipped and listed. Ingesting the same folder again writes nothing new.
            """)

    @OptionGroup var data: DataOptions
    @Argument(help: "The folder of recorded responses (searched recursively).") var directory: String
    @Option(help: "The events' time in ms since the epoch (default: now).") var at: Int64?
    @Flag(help: "Also append the project's category mapping.") var categories = false

    func execute() throws {
        guard let (files, skipped) = RecordedResponse.files(in: directory) else {
            throw ValidationError("cannot read the folder \(directory)")
        }
        let timestamp = at ?? SystemClock.nowMs
        var ingested: [(file: String, request: IngestRequest, drafts: [EventDraft])] = []
        for (file, request) in files {
            let path = directory + "/" + file
            guard let body = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
            do {
                ingested.append((file, request, try request.drafts(pages: [Array(body)], timestampMs: timestamp)))
            } catch let error as IngestError {
                throw IngestError(source: error.source, request: error.request, field: error.field,
                                  reason: "\(error.reason) (in \(path); nothing of the folder was written)")
            }
        }
        let log = try FileLog.open(directory: data.logDirectory)
        defer { try? log.close() }
        if categories { _ = try appendCategories(try CategoryMapping.event(), at: timestamp, log: log) }
        var written: [Bool] = []
        for item in ingested { written.append(try log.append(item.drafts).written) }
        Output.json { json in
            json.beginObject()
            json.key("events"); json.int(ingested.reduce(0) { $0 + $1.drafts.count })
            json.key("files"); json.beginArray()
            for (item, wrote) in zip(ingested, written) {
                json.beginObject()
                json.key("events"); json.int(item.drafts.count)
                json.key("file"); json.string(item.file)
                json.key("request"); json.string(item.request.description)
                json.key("written"); json.bool(wrote)
                json.endObject()
            }
            json.endArray()
            json.key("skipped"); json.beginArray()
            for file in skipped { json.string(file) }
            json.endArray()
            json.endObject()
        }
    }
}
