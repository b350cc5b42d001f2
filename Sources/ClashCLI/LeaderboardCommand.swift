import ArgumentParser
import Clash
import Foundation

struct LeaderboardCommand: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard", abstract: "A race's ranking, or all time: wins, then podiums, then cumulative gain (exact), then clone id.")
    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @Option(help: "One race's ranking.") var race: String?

    func execute() throws {
        try data.query { queries in report.print(try race.map(queries.raceRanking) ?? queries.leaderboard()) }
    }
}
