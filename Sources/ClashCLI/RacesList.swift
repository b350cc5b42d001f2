import ArgumentParser
import Clash
import Foundation

struct RacesList: ClashCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every race: phase, times, tickets, pool, winner.")
    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions

    func execute() throws {
        try data.query { report.print(try $0.races()) }
    }
}
