import ArgumentParser
import Foundation
import LedgerLog
import Projections

struct ProjectionsStatus: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Print JSON per read model: version, schema hash, checkpoint, lag.")

    @OptionGroup var data: DataOptions

    func execute() throws {
        let runner = try data.readModels()
        defer { try? runner.close() }
        for status in try runner.status() {
            Output.json { json in
                json.beginObject()
                json.key("checkpoint"); json.uint(status.checkpoint)
                json.key("lag"); json.uint(status.lag)
                json.key("name"); json.string(status.name)
                json.key("path")
                if let path = status.path { json.string(path) } else { json.null() }
                json.key("schema_hash"); json.string(status.schemaHash)
                json.key("version"); json.int(status.version)
                json.endObject()
            }
        }
    }
}
