import ArgumentParser
import Audit
import EventSchemas
import Foundation
import LedgerLog

struct DisputeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispute", abstract: "Explain a payout: every step of the settlement, each input event with its inclusion proof.",
        subcommands: [DisputeTicket.self, DisputeRace.self])
}
