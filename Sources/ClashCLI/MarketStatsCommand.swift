import ArgumentParser
import LedgerLog
import Market

struct MarketStatsCommand: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "How the logged market moves: per asset 1-minute volatility, 24-hour move, correlation with BTC (a table, or JSON lines).",
        discussion: """
            Reads market.tick and hyperliquid.mids (minute series), hyperliquid.candles (volatility where there is no minute series) \
            and hyperliquid.asset_contexts (the 24-hour move where the series spans less than a day), generated or ingested alike, \
            so a generated market can be held against a recording. Read-only. Prints one line per asset, then the universe's line.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @Option(help: "Only events at or after this time (ms since the epoch).") var from: Int64?
    @Option(help: "Only events at or before this time (ms since the epoch).") var to: Int64?

    func execute() throws {
        let log = try data.existingLog()
        var stats = MarketStats(fromMs: from ?? .min, toMs: to ?? .max)
        try log.forEach(from: 1, filter: .all) { record in
            try stats.add(record)
            return true
        }
        let figures = stats.report()
        let assets = figures.assets.map { asset in
            Output.object { json in
                json.beginObject()
                if let value = asset.annualizedVolatility { json.key("annualized_volatility"); json.decimal(value, places: 4) }
                if let value = asset.correlationWithBTC { json.key("correlation_with_btc"); json.decimal(value, places: 3) }
                if let value = asset.move24h { json.key("move_24h"); json.decimal(value, places: 5) }
                if let source = asset.move24hSource { json.key("move_24h_source"); json.string(source) }
                json.key("returns"); json.int(asset.returns)
                json.key("symbol"); json.string(asset.symbol)
                if let value = asset.volatility { json.key("volatility"); json.decimal(value, places: 6) }
                if let interval = asset.volatilityInterval { json.key("volatility_interval"); json.string(interval) }
                json.endObject()
            }
        }
        let universe = Output.object { json in
            json.beginObject()
            json.key("assets"); json.int(figures.assets.count)
            if let value = figures.fromMs { json.key("from_ms"); json.int(value) }
            if let value = figures.medianAbsMove24h { json.key("median_abs_move_24h"); json.decimal(value, places: 5) }
            if let value = figures.medianAnnualizedVolatility { json.key("median_annualized_volatility"); json.decimal(value, places: 4) }
            if let value = figures.p90AbsMove24h { json.key("p90_abs_move_24h"); json.decimal(value, places: 5) }
            if let value = figures.toMs { json.key("to_ms"); json.int(value) }
            json.key("universe"); json.bool(true)
            json.endObject()
        }
        try report.print(objects: assets, title: report.asTable ? "per asset" : nil)
        try report.print(objects: [universe], title: report.asTable ? "\nthe universe" : nil)
    }
}
