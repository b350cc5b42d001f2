import ArgumentParser
import Clash
import Foundation
import Market

/// Times the decision runtime end to end: a seeded synthetic market logged (batch fsync) into a
/// fresh data directory, clones with varied rule strategies over every asset at a 1-minute
/// cadence, all of them traded together over the market's hours — packets (stored), decisions,
/// gates, orders, fills, every event appended — then the read models folded.
struct BenchRuntime: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "runtime", abstract: "Time decisions end to end (packets, decisions, gates, orders, fills, appends, read models); print JSON.")

    @OptionGroup var data: DataOptions
    @Option(help: "How many clones, each trading every asset.") var clones = 100
    @Option(help: "How many perpetuals.") var assets = 10
    @Option(help: "Hours of trading (the market has one more before it).") var hours = 6
    @OptionGroup var engine: EngineOptions
    var seed: UInt64 { engine.seed }
    @Flag(inversion: .prefixedNo, help: "Store every packet in the artifact store (one file each).") var storePackets = true

    func execute() throws {
        let directory = data.directory + "/bench-runtime-\(seed)"
        try? FileManager.default.removeItem(atPath: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let start: Int64 = 1_717_200_000_000
        let ledger = try Ledger.open(directory: directory, clock: FixedClock(start), ids: SeededIds(seed: seed, prefix: "bench"))
        defer { try? ledger.close() }
        try ledger.append([try CategoryMapping.event().draft(id: "categories", stream: "source.hyperliquid", timestampMs: start)])
        let market = SyntheticMarket(seed: seed, assets: assets, hours: hours + 1)
        let symbols = market.symbols
        try ledger.log.appendInBatches(market)
        var random = SplitMix64(seed: seed)
        // One model engine for every clone, so that its concurrency limit holds over all of them.
        let model = engine.engine == .model ? try engine.engine(artifacts: ledger.artifacts) : nil
        let specs = try (0..<clones).map { index -> (graph: StrategyGraph, engine: any DecisionEngine, settings: TradingRun.Settings) in
            let presets = SourcePreset.names.filter { _ in random.next() % 3 != 0 }
            var graph = StrategyChoices(assets: symbols, prompt: "clone \(index)", cadence: "1m", risk: RiskPreset.names[Int(random.next() % 3)],
                                        sources: ["price"] + presets).graph(.custom).convertedUp()
            let prompt = graph.blocks.firstIndex { $0.kind == "trading_prompt" }!
            graph.blocks[prompt].rule = RuleEngine.rules[Int(random.next() % UInt64(RuleEngine.rules.count))]
            let id = "c-\(index + 1)"
            try ledger.createClone(id: id, owner: "0x8ba1f109551bd432803012645ac136ddd64dba72",
                                   identity: .init(name: "Bench \(index + 1)", avatarText: "", tagline: ""), graph: graph)
            return (graph, try model ?? engine.engine(artifacts: ledger.artifacts, rulesSeed: engine.seed &+ UInt64(index)),
                    TradingRun.Settings(cloneId: id, competitionId: "bench", fromMs: start + 3_600_000, toMs: start + Int64(hours + 1) * 3_600_000,
                                        storePackets: storePackets))
        }
        try ledger.project()
        let head = try ledger.head.sequence
        let session = try TradingSession(log: ledger.log, artifacts: ledger.artifacts, clones: specs)
        // The session trades while the read models follow the log on another thread, as a
        // deployment's projections follow its runtime; the clock stops when they have caught up.
        let began = monotonicSeconds()
        let follower = PeriodicWork { _ = try ledger.project() }
        defer { try? follower.finish() }
        let summaries = try session.run()
        let tradeSeconds = monotonicSeconds() - began
        try follower.finish()
        try ledger.project()
        let seconds = monotonicSeconds() - began
        let foldSeconds = seconds - tradeSeconds
        let runs = summaries.reduce(0) { $0 + $1.runs }
        let events = try ledger.head.sequence - head
        let headHash = try ledger.head.chain.hex
        Output.json { json in
            json.beginObject()
            json.key("assets"); json.int(assets)
            json.key("clones"); json.int(clones)
            json.key("decisions"); json.int(runs)
            json.key("decisions_per_second"); json.int(Int(Double(runs) / seconds))
            json.key("engine"); json.string(engine.engine.rawValue)
            json.key("events"); json.uint(events)
            json.key("fills"); json.int(summaries.reduce(0) { $0 + $1.fills })
            json.key("fold_after_seconds"); json.decimal(foldSeconds, places: 3)
            json.key("head_hash"); json.string(headHash)
            json.key("hours"); json.int(hours)
            json.key("rejections"); json.int(summaries.reduce(0) { $0 + $1.rejections })
            json.key("seconds"); json.decimal(seconds, places: 3)
            json.key("seed"); json.uint(seed)
            json.key("store_packets"); json.bool(storePackets)
            json.key("trade_seconds"); json.decimal(tradeSeconds, places: 3)
            json.endObject()
        }
    }
}
