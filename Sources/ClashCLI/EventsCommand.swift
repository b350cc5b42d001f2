import ArgumentParser
import Foundation
import EventSchemas

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "The event catalog.", subcommands: [EventsList.self, EventsSchema.self])
}
