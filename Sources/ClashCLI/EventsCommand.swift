import ArgumentParser
import Foundation
import EventSchemas

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "The event catalog.", subcommands: [EventsList.self, EventsSchema.self])
}

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

struct EventsSchema: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "Print the JSON Schema of an event type and version.")

    @Argument(help: "The event type, e.g. clone.created.") var type: String
    @Option(help: "The schema version (default: the current one).") var version: Int?

    func execute() throws {
        let entry = EventCatalog.entries.first { $0.type == type && (version == nil ? $0.isCurrent : $0.version == version) }
        guard let entry, let schema = EventCatalog.schema(entry) else {
            throw ValidationError("the catalog has no \(type)\(version.map { " version \($0)" } ?? ""); `clash events list` shows it")
        }
        Output.line(schema.trimmingCharacters(in: .newlines))
    }
}
