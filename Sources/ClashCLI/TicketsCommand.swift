import ArgumentParser
import Clash
import Foundation

struct TicketsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tickets", abstract: "Spectators' tickets.", subcommands: [TicketsBuy.self, TicketsShow.self])
}
