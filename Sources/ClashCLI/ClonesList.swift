import ArgumentParser
import Clash
import Foundation

struct ClonesList: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Print every clone's public identity and status: a table, or one JSON line each.")

    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @Option(help: "Only the clones of this owner.") var owner: String?

    func execute() throws {
        let owner = try owner.map { try Address.parse($0, field: "--owner", code: "clone.bad_address") }
        try report.print(try data.query { try $0.clones(owner: owner) })
    }
}
