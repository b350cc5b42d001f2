import ArgumentParser
import Foundation
import LedgerLog
import ClashCore
import Projections

struct AssetsList: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Print the assets a selection picks (the Asset Block's rule): a table, or one JSON line each.",
        discussion: "Categories: \(AssetCategory.selectable.joined(separator: ", ")).")

    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @Option(help: "The category, e.g. All, Perps, Crypto/AI, Tradfi/Stocks, Spot/USDC, Trending.") var category = "All"
    @Option(help: "Symbols to add, comma separated.") var include = ""
    @Option(help: "Symbols to leave out, comma separated.") var exclude = ""

    func execute() throws {
        let selected = try data.query { try $0.assets(category: category, include: Self.symbols(include), exclude: Self.symbols(exclude)) }
        try report.print(objects: selected.map(\.canonicalJSON))
    }

    static func symbols(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
