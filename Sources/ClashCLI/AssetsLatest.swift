import ArgumentParser
import Foundation
import LedgerLog
import ClashCore
import Projections

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
