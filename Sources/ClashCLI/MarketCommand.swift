import ArgumentParser
import Foundation
import LedgerLog
import Market

struct MarketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "market", abstract: "Synthetic markets for demos, auditions and benchmarks.", subcommands: [MarketSimulate.self])
}

struct MarketSimulate: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Append a deterministic synthetic market (market.tick events) to the log.")

    @OptionGroup var data: DataOptions
    @Option(help: "Seed: the same seed gives the same events on every machine.") var seed: UInt64 = 1
    @Option(help: "How many perpetuals.") var assets = 20
    @Option(help: "How many hours of market.") var hours = 24
    @Option(help: "Step between ticks of one asset, e.g. 1m, 5m, 30s.") var step = "1m"
    @Option(help: "Start time in ms since the epoch.") var start: Int64 = 1_717_200_000_000

    func validate() throws {
        guard Self.milliseconds(step) != nil else { throw ValidationError("--step must be like 30s, 1m or 5m") }
        guard assets >= 1, hours >= 1 else { throw ValidationError("--assets and --hours must be at least 1") }
    }

    static func milliseconds(_ text: String) -> Int64? {
        guard let unit = text.last, let value = Int64(text.dropLast()), value > 0 else { return nil }
        switch unit {
        case "s": return value * 1_000
        case "m": return value * 60_000
        case "h": return value * 3_600_000
        default: return nil
        }
    }

    func execute() throws {
        let market = SyntheticMarket(seed: seed, assets: assets, hours: hours, stepMilliseconds: Self.milliseconds(step)!, startMs: start)
        let total = market.count
        let log = try FileLog.open(directory: data.logDirectory)
        defer { try? log.close() }
        let started = monotonicSeconds()
        let last = try log.appendInBatches(market)
        Output.json { json in
            json.beginObject()
            json.key("assets"); json.int(assets)
            json.key("events"); json.int(total)
            json.key("events_per_second"); json.int(Int(Double(total) / max(monotonicSeconds() - started, 1e-9)))
            json.key("head_sequence"); json.uint(last)
            json.key("seed"); json.uint(seed)
            json.endObject()
        }
    }
}
