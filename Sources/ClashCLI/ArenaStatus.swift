import ArgumentParser
import Clash
import Foundation

struct ArenaStatus: ClashCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "The slots, the queue and the races under way.")
    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions

    func execute() throws {
        try data.query { queries in
            report.print(try queries.arenaSlots(), title: "slots")
            report.print(try queries.arenaQueue(), title: "\nqueue")
            report.print(try queries.racesUnderWay(), title: "\nraces under way")
        }
    }
}
