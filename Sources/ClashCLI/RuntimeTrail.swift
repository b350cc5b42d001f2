import ArgumentParser
import Clash
import Foundation

struct RuntimeTrail: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "trail", abstract: "Print a clone's runs in order, an event each (a table, or JSON lines): packet hash, decision, gate, order, fill.")

    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @Option(help: "The clone's id.") var clone: String
    @Option(help: "The competition.") var competition = "free"
    @Option(help: "Only this asset's runs.") var asset: String?

    func execute() throws {
        try report.print(objects: try CloneActivity.trail(clone, competition: competition, asset: asset, log: try data.existingLog()))
    }
}
