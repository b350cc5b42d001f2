import ArgumentParser
import Foundation
import EventSchemas

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
