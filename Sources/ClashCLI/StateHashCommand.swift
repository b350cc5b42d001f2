import ArgumentParser
import Foundation
import LedgerLog
import Projections

struct StateHashCommand: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "state-hash",
        abstract: "Print a hash per read-model table (rows in primary-key order) and one overall.")

    @OptionGroup var data: DataOptions

    func execute() throws {
        let runner = try data.readModels()
        defer { try? runner.close() }
        try runner.catchUp()
        let hashes = try runner.stateHashes()
        Output.json { json in
            json.beginObject()
            json.key("overall"); json.string(StateHash.overall(of: hashes))
            json.key("read_models")
            json.beginObject()
            for name in hashes.keys.sorted() {
                json.key(name)
                json.beginObject()
                json.key("overall"); json.string(hashes[name]!.overall)
                json.key("tables")
                json.beginObject()
                for table in hashes[name]!.tables.keys.sorted() {
                    json.key(table); json.string(hashes[name]!.tables[table]!)
                }
                json.endObject()
                json.endObject()
            }
            json.endObject()
            json.endObject()
        }
    }
}
