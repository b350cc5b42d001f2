import ArgumentParser
import Foundation
import EventSchemas

struct EventsList: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Print the catalog as JSON Lines: type, version, whether current, description, schema file.")

    func execute() throws {
        for entry in EventCatalog.entries {
            Output.json { json in
                json.beginObject()
                json.key("current"); json.bool(entry.isCurrent)
                json.key("description"); json.string(entry.summary)
                json.key("schema"); json.string("EventSchemas/schemas/" + entry.schemaFile)
                json.key("type"); json.string(entry.type)
                json.key("version"); json.int(entry.version)
                json.endObject()
            }
        }
    }
}
