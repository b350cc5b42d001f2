import ArgumentParser
import Domain
import Foundation
import LedgerLog
import Market

struct MarketSimulate: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Append a deterministic synthetic market (market.tick events) to the log.",
        discussion: """
            On a log that already holds a market, the market continues from where it ends (the next step after its newest tick, \
            each asset from its last mid, funding and open interest), with new event ids; --start, if given, must be after the \
            newest tick. Version 2 (the default) is calibrated on the recorded Hyperliquid universe; version 1 is the calm random \
            walk earlier logs hold.
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "Seed: the same seed gives the same events on every machine.") var seed: UInt64 = 1
    @Option(help: "How many perpetuals.") var assets = 20
    @Option(help: "How many hours of market.") var hours = 24
    @Option(help: "Step between ticks of one asset, e.g. 1m, 5m, 30s.") var step = "1m"
    @Option(help: "Start time in ms since the epoch (default: 1717200000000, or right after the log's market).") var start: Int64?
    @Option(name: .customLong("market-version"), help: "The generator's version: 2 (lively, the default) or 1 (the calm walk of earlier logs).")
    var version = SyntheticMarket.currentVersion

    static let defaultStartMs: Int64 = 1_717_200_000_000

    func validate() throws {
        guard Self.milliseconds(step) != nil else { throw ValidationError("--step must be like 30s, 1m or 5m") }
        guard assets >= 1, hours >= 1 else { throw ValidationError("--assets and --hours must be at least 1") }
        guard SyntheticMarket.versions.contains(version) else { throw ValidationError("--market-version must be 1 or 2") }
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
        let stepMs = Self.milliseconds(step)!
        let log = try FileLog.open(directory: data.logDirectory)
        defer { try? log.close() }
        let market: SyntheticMarket
        if let standing = try SyntheticMarket.standing(in: log) {
            let next = standing.lastTickMs + stepMs
            if let start, start < next {
                throw DomainError("market.overlaps", "the log's market runs to \(standing.lastTickMs) ms: --start must be at or after \(next) ms, or leave --start out to continue from there")
            }
            let expected = SyntheticMarket(seed: seed, assets: assets, hours: 1).symbols
            guard standing.symbols == expected else {
                throw DomainError("market.assets", "the log's market has \(standing.symbols.count) assets (\(standing.symbols.prefix(5).joined(separator: ", "))…); continue it with --assets \(standing.symbols.count)")
            }
            guard version >= 2 else { throw DomainError("market.version", "only version 2 markets continue: version 1's event ids repeat") }
            market = SyntheticMarket(seed: seed, assets: assets, hours: hours, stepMilliseconds: stepMs, startMs: start ?? next, version: version,
                                     continuing: standing.state)
        } else {
            market = SyntheticMarket(seed: seed, assets: assets, hours: hours, stepMilliseconds: stepMs, startMs: start ?? Self.defaultStartMs,
                                     version: version)
        }
        let total = market.count
        let started = monotonicSeconds()
        let last = try log.appendInBatches(market)
        Output.json { json in
            json.beginObject()
            json.key("assets"); json.int(assets)
            json.key("events"); json.int(total)
            json.key("events_per_second"); json.int(Int(Double(total) / max(monotonicSeconds() - started, 1e-9)))
            json.key("head_sequence"); json.uint(last)
            json.key("seed"); json.uint(seed)
            json.key("start_ms"); json.int(market.startMs)
            json.key("version"); json.int(market.version)
            json.endObject()
        }
    }
}
