import ArgumentParser
import Audit
import Clash
import Foundation
import Market

/// Times `race audit` on a race the arena ran: a seeded market, clones on the rules engine trading
/// every asset at a 1-minute cadence, a race opened, tickets bought, started, then traded, ended
/// and settled by the arena's scheduler; then the whole race recomputed and compared.
struct BenchAudit: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Time the audit of one race (every run, fill, mark, the ranking and the settlement recomputed and compared); print JSON.")

    @OptionGroup var data: DataOptions
    @Option(help: "Racers, each trading every asset.") var clones = 10
    @Option(help: "How many perpetuals.") var assets = 10
    @Option(help: "Hours the race runs (the market has one more before it).") var hours = 6
    @Option(help: "Seed of the market, the strategies and the rules engine.") var seed: UInt64 = 1

    func validate() throws {
        guard clones >= 1, assets >= 1, hours >= 1 else { throw ValidationError("--clones, --assets and --hours must be at least 1") }
    }

    func execute() throws {
        let directory = data.directory + "/bench-audit-\(seed)"
        try? FileManager.default.removeItem(atPath: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let start: Int64 = 1_717_200_000_000
        let ledger = try Ledger.open(directory: directory, clock: FixedClock(start), ids: SeededIds(seed: seed, prefix: "bench"))
        defer { try? ledger.close() }
        try ledger.append([try CategoryMapping.event().draft(id: "categories", stream: "source.hyperliquid", timestampMs: start)])
        let market = SyntheticMarket(seed: seed, assets: assets, hours: hours + 1)
        try ledger.log.appendInBatches(market)
        var random = SplitMix64(seed: seed)
        let lineup = try (1...clones).map { index -> String in
            var graph = StrategyChoices(assets: market.symbols, prompt: "racer \(index)", cadence: "1m", risk: RiskPreset.names[Int(random.next() % 3)],
                                        sources: ["price", "derivatives"]).graph(.custom).convertedUp()
            graph.blocks[graph.blocks.firstIndex { $0.kind == "trading_prompt" }!].rule = RuleEngine.rules[index % RuleEngine.rules.count]
            try ledger.createClone(id: "c-\(index)", owner: "0x" + String(format: "%040x", index),
                                   identity: .init(name: "Racer \(index)", avatarText: "", tagline: ""), graph: graph)
            return "c-\(index)"
        }
        let raceStart = start + 3_600_000
        let raceEnd = raceStart + Int64(hours) * 3_600_000
        var settings = ArenaScheduler.Settings(originMs: raceStart)
        settings.storePackets = false
        settings.treeDirectory = ledger.treeDirectory
        let scheduler = ArenaScheduler(log: ledger.log, artifacts: ledger.artifacts, settings: settings) { id in
            RulesEngine(seed: seed &+ UInt64(id.dropFirst(2))!)
        }
        var race = RaceState(raceId: "r-1")
        let opened = try RaceDecider.decide(.open(lineup: lineup, ticketPriceWei: Wei(10_000_000_000_000_000), startingEquityE6: 10_000_000_000,
                                                  durationMs: Int64(hours) * 3_600_000), race)
        try ledger.log.append(try opened.map { try $0.draft(id: ArenaScheduler.eventId($0, race: "r-1"), stream: "race.r-1", timestampMs: start) })
        race = opened.reduce(race, RaceDecider.evolve)
        for (index, clone) in lineup.enumerated() {
            try scheduler.buyTickets(raceId: "r-1", cloneId: clone, holder: "0x" + String(format: "%040x", 0xbeef + index), count: index + 1, at: start)
        }
        try scheduler.catchUp()
        let started = try RaceDecider.decide(.start, scheduler.races["r-1"]!)
        try ledger.log.append(try started.map { try $0.draft(id: ArenaScheduler.eventId($0, race: "r-1"), stream: "race.r-1", timestampMs: raceStart) })
        let raced = monotonicSeconds()
        let report = try scheduler.finishRace("r-1", at: raceEnd)
        let raceSeconds = monotonicSeconds() - raced

        let audited = monotonicSeconds()
        let audit = try RaceAudit.audit(raceId: "r-1", log: try LogReader(directory: directory + "/log"), artifacts: ledger.artifacts,
                                         treeDirectory: ledger.treeDirectory)
        let auditSeconds = monotonicSeconds() - audited
        Output.json { json in
            json.beginObject()
            json.key("assets"); json.int(assets)
            json.key("audit_decisions_per_second"); json.int(Int(Double(audit.runs) / auditSeconds))
            json.key("audit_seconds"); json.decimal(auditSeconds, places: 3)
            json.key("clones"); json.int(clones)
            json.key("decisions"); json.int(report.decisions)
            json.key("events_compared"); json.int(audit.eventsCompared)
            json.key("fills"); json.int(audit.fills)
            json.key("hours"); json.int(hours)
            json.key("race_seconds"); json.decimal(raceSeconds, places: 3)
            json.key("result"); json.string(audit.matches ? "match" : "divergence")
            json.key("seed"); json.uint(seed)
            json.endObject()
        }
        if !audit.matches { throw ExitCode(1) }
    }
}
