import ArgumentParser
import Clash
import Foundation

struct RacesShow: ClashCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One race: its figures, the ranking and every payout line.")
    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @Argument(help: "The race's id.") var race: String

    func execute() throws {
        let details = try data.query { try $0.race(race) }
        report.print([details.race], title: "race")
        report.print(details.racers, title: "\nracers")
        report.print(details.payouts, title: "\npayouts")
    }
}
