import ArgumentParser
import Clash
import Foundation

struct HallOfFameCommand: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "hall-of-fame", abstract: "Every clone's career, retired ones included: races, wins, podiums, returns, what its backers earned.")
    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions

    func execute() throws {
        try data.query { report.print(try $0.hallOfFame()) }
    }
}
