import ArgumentParser
import Clash
import Foundation
import EventSchemas
import LedgerLog
import Market

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
        let result = try appendCategories(event, at: at ?? SystemClock.nowMs, log: log)
        Output.json { json in
            json.beginObject()
            json.key("entries"); json.int(event.entries.count)
            json.key("mapping_version"); json.int(event.mappingVersion)
            json.key("written"); json.bool(result.written)
            json.endObject()
        }
    }
}
