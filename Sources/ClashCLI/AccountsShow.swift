import ArgumentParser
import Clash
import Foundation

struct AccountsShow: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a clone's paper account in a competition: cash, positions marked at the newest mids, PnL, fees, funding, return, drawdown.",
        discussion: "Folded from the account's fills, funding payments, liquidations and hourly marks in the log, with the rules the runtime applied; the peak and maximum drawdown are those of the hourly marks.")

    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @Argument(help: "The clone's id.") var clone: String
    @Option(help: "The competition.") var competition = "free"

    func execute() throws {
        try report.print(objects: [try CloneActivity.account(clone, competition: competition, log: try data.existingLog())])
    }
}
