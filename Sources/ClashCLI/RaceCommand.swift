import ArgumentParser
import Audit
import EventSchemas
import Foundation
import LedgerLog

struct RaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "race", abstract: "Check a race against the log.", subcommands: [RaceAuditCommand.self])
}
