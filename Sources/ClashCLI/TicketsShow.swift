import ArgumentParser
import Clash
import Foundation

struct TicketsShow: ClashCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "A holder's tickets, stakes, payouts and refunds.")
    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @Option(help: "The holder's address.") var holder: String

    func execute() throws {
        let holder = try Address.parse(holder, field: "--holder", code: "clone.bad_address")
        let held = try data.query { try $0.tickets(holder: holder) }
        report.print(held.tickets, title: "tickets")
        report.print(held.payouts, title: "\npayouts")
    }
}
