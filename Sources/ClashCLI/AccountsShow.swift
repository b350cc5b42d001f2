import ArgumentParser
import Clash
import Foundation

struct AccountsShow: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a clone's paper account in a competition: cash, positions marked at the newest mids, PnL, fees, funding, return, drawdown.",
        discussion: "Folded from the account's fills, funding payments, liquidations and hourly marks in the log, with the rules the runtime applied; the peak and maximum drawdown are those of the hourly marks.")

    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @Argument(help: "The clone's id.") var clone: String
    @Option(help: "The competition.") var competition = "free"

    func execute() throws {
        let log = try data.existingLog()
        let account = try log.paperAccount(cloneId: clone, competitionId: competition)
        let pipeline = try ContextPipeline(log: log)
        try pipeline.advanceToNewest()
        var marks: [String: Int64] = [:]
        for asset in account.positions.keys { marks[asset] = try pipeline.view(asset).latest?.price?.midE8 }
        try report.print(objects: [Output.object { json in
            json.beginObject()
            json.key("cash_e6"); json.int(account.cashE6)
            json.key("clone_id"); json.string(clone)
            json.key("competition"); json.string(competition)
            json.key("equity_e6"); json.int(account.equityE6(marks: marks))
            json.key("fees_e6"); json.int(account.feesE6)
            json.key("free_margin_e6"); json.int(account.equityE6(marks: marks) - account.marginUsedE6)
            json.key("funding_e6"); json.int(account.fundingE6)
            json.key("margin_used_e6"); json.int(account.marginUsedE6)
            json.key("marked_at_ms"); json.int(pipeline.asOfMs)
            json.key("max_drawdown_bp"); json.int(account.maxDrawdownBp)
            json.key("max_drawdown_e6"); json.int(account.maxDrawdownE6)
            json.key("peak_equity_e6"); json.int(account.peakEquityE6)
            json.key("positions")
            json.beginArray()
            for asset in account.positions.keys.sorted() {
                let position = account.positions[asset]!
                json.beginObject()
                json.key("asset"); json.string(asset)
                json.key("entry_px_e8"); json.int(position.entryPxE8)
                json.key("leverage"); json.int(position.leverage)
                json.key("mark_px_e8")
                if let mark = marks[asset] { json.int(mark) } else { json.null() }
                json.key("size_e8"); json.int(position.sizeE8)
                json.key("unrealized_e6"); json.int(position.unrealizedE6(markE8: marks[asset] ?? position.entryPxE8))
                json.endObject()
            }
            json.endArray()
            json.key("realized_e6"); json.int(account.realizedE6)
            json.key("return_bp"); json.int(account.returnBp(marks: marks))
            json.key("starting_equity_e6"); json.int(account.startingEquityE6)
            json.endObject()
        }])
    }
}
