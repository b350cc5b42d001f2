import ArgumentParser
import Clash
import Foundation

struct RuntimeRun: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a clone in simulated time from --from to --to over the logged market; print a summary (a list of fields, or JSON).",
        discussion: "Every run, decision, gate result, order, fill, funding payment and liquidation is appended; the same span again writes nothing.")

    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var artifacts: ArtifactOptions
    @Option(help: "The clone's id.") var clone: String
    @Option(help: "Start, ms (simulated time: the market data's).") var from: Int64
    @Option(help: "End, ms (exclusive).") var to: Int64
    @OptionGroup var engine: EngineOptions
    @Option(help: "The competition the paper account belongs to.") var competition = "free"

    func execute() throws {
        guard to > from else { throw ValidationError("--to must be after --from") }
        let ledger = try artifacts.open(data)
        defer { try? ledger.close() }
        let summary = try ledger.trade(clone, competition: competition, fromMs: from, toMs: to, engine: try engine.engine(artifacts: ledger.artifacts))
        try report.print(objects: [Output.object { json in
            json.beginObject()
            json.key("cash_e6"); json.int(summary.account.cashE6)
            json.key("competition"); json.string(competition)
            json.key("engine"); json.string(engine.engine.rawValue)
            json.key("equity_e6"); json.int(summary.account.equityE6(marks: summary.marks))
            json.key("events"); json.int(summary.events)
            json.key("fees_e6"); json.int(summary.account.feesE6)
            json.key("fills"); json.int(summary.fills)
            json.key("funding_e6"); json.int(summary.account.fundingE6)
            json.key("funding_payments"); json.int(summary.fundingPayments)
            json.key("holds"); json.int(summary.holds)
            json.key("liquidations"); json.int(summary.liquidations)
            json.key("max_drawdown_bp"); json.int(summary.account.maxDrawdownBp)
            json.key("open_positions"); json.int(summary.account.positions.count)
            json.key("rejections"); json.int(summary.rejections)
            json.key("return_bp"); json.int(summary.account.returnBp(marks: summary.marks))
            json.key("runs"); json.int(summary.runs)
            json.key("triggers"); json.int(summary.triggers)
            json.endObject()
        }])
    }
}
