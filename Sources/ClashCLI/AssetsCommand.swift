import ArgumentParser
import Foundation
import LedgerLog
import ClashCore
import Projections

struct AssetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets", abstract: "The asset universe and each asset's latest data, from market memory.",
        subcommands: [AssetsList.self, AssetsLatest.self])
}

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
        try report.print(objects: selected.map { asset in
            Output.object { json in
                json.beginObject()
                json.key("categories"); json.beginArray()
                for path in asset.categories { json.string(path) }
                json.endArray()
                json.key("dex"); json.string(asset.dex)
                json.key("kind"); json.string(asset.kind)
                json.key("quote"); json.string(asset.quote)
                json.key("symbol"); json.string(asset.symbol)
                json.endObject()
            }
        })
    }

    static func symbols(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

struct AssetsLatest: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "latest",
        abstract: "Print the latest data an asset would receive in a context packet (a list of fields, or JSON).")

    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @Argument(help: "The asset, as the universe names it (BTC, kPEPE, xyz:TSLA, HYPE/USDC).") var symbol: String
    @Option(help: "The time of the view in ms (default: the newest time in market memory).") var at: Int64?

    func execute() throws {
        guard let latest = try data.query({ try $0.latest(symbol, asOfMs: at) }) else {
            throw ValidationError("no universe lists \(symbol); `clash assets list` shows the assets market memory knows")
        }
        try report.print(objects: [Array(try AssetMemory.encode(latest))])
    }
}
