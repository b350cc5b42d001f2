import ArgumentParser
import Clash
import Foundation

struct AccountsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts", abstract: "Paper accounts, folded from the log.", subcommands: [AccountsShow.self])
}
