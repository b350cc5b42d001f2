import ArgumentParser
import Clash
import Foundation
import GRDB
import Market

struct SeasonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "season", abstract: "Whole seasons of the arena.", subcommands: [SeasonSimulate.self])
}

/// The whole product loop on a synthetic market, into a new data directory: clones with varied
/// strategies, their auditions, the queue, races with seeded spectators buying tickets,
/// settlements and retirements; then the last race's ranking and settlement, the leaderboard and
/// the Hall of Fame.
struct SeasonSimulate: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a season on a synthetic market into a new data directory; print its summary as JSON.",
        discussion: """
            The market starts at 2024-06-01 00:00 UTC; the clones are created then and audition over the first 24 hours (every \
            fifth clone decides only every 4 hours: its audition fails and its owner retires it); a race opens every 6 hours \
            from then on, accumulates tickets for 6 hours and runs for 6. Spectators buy 1 to 5 tickets each on the \
            accumulating race an hour after it opens. The same seed gives the same log, byte for byte.
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "Clones created.") var clones = 12
    @Option(help: "Races run (each 6 hours, one opening every 6 hours).") var races = 4
    @Option(help: "Spectators buying tickets on each race.") var spectators = 20
    @Option(help: "Perpetuals in the market.") var assets = 10
    @Option(help: "Every clone's cadence: 1m, 5m, 15m or 1h.") var cadence = "5m"
    @Option(help: "Arena slots.") var slots: Int64 = ArenaDecider.slotCountDefault
    @OptionGroup var engine: EngineOptions
    @Flag(inversion: .prefixedNo, help: "Store every context packet in the artifact store.") var storePackets = true
    @Flag(help: "No progress lines on standard error.") var quiet = false
    /// `--seed` seeds the market, the strategies, the spectators and the rules engine.
    var seed: UInt64 { engine.seed }

    static let start: Int64 = 1_717_200_000_000
    static let names = ["Momentum Max", "Funding Fox", "Mean Queen", "Carry Cat", "Trend Rider", "Basis Bear", "Swing Owl", "Drift Hawk",
                        "Tape Reader", "Grid Wolf", "Range Rat", "Break Bull"]

    func validate() throws {
        guard clones >= 1, races >= 1, spectators >= 0, assets >= 1, slots >= 1 else {
            throw ValidationError("--clones, --races, --assets and --slots must be at least 1, --spectators at least 0")
        }
        guard ["1m", "5m", "15m", "1h"].contains(cadence) else { throw ValidationError("--cadence must be 1m, 5m, 15m or 1h") }
    }

    func execute() throws {
        if data.missingLog == nil {
            throw ValidationError("\(data.directory) already holds a log; a season is simulated into a new data directory (give another --data)")
        }
        let began = monotonicSeconds()
        let ledger = try Ledger.open(directory: data.directory, clock: FixedClock(Self.start), ids: SeededIds(seed: seed, prefix: "season"))
        defer { try? ledger.close() }
        let season = try Season.run(ledger: ledger, seed: seed, clones: clones, races: races, spectators: spectators, assets: assets,
                                    cadence: cadence, slots: slots, engine: engine, storePackets: storePackets,
                                    progress: quiet ? nil : { Output.progress($0) })
        try ledger.project()
        let seconds = monotonicSeconds() - began
        try Season.printSummary(ledger, season: season, seconds: seconds)
    }
}

/// A season's run, shared by `season simulate` and `bench season`.
enum Season {
    struct Totals {
        var decisions = 0, tickets = 0, events: UInt64 = 0
        var report = ArenaScheduler.Report()
        var endMs: Int64 = 0
    }

    static func run(ledger: Ledger, seed: UInt64, clones: Int, races: Int, spectators: Int, assets: Int, cadence: String, slots: Int64,
                    engine: EngineOptions, storePackets: Bool, progress: ((String) -> Void)?) throws -> Totals {
        let start = SeasonSimulate.start
        let origin = start + AuditionPolicy.durationMs
        let hours = 24 + 6 * (races + 1) + 1
        progress?("market: \(assets) perpetuals, \(hours) hours at 1-minute steps (seed \(seed))")
        try ledger.append([try CategoryMapping.event().draft(id: "categories", stream: "source.hyperliquid", timestampMs: start)])
        let market = SyntheticMarket(seed: seed, assets: assets, hours: hours, startMs: start)
        try ledger.log.appendInBatches(market)
        var random = SplitMix64(seed: seed ^ 0x5EA5_0000)
        let symbols = SyntheticMarket(seed: seed, assets: assets, hours: 1, startMs: start).symbols
        // Every fifth clone is a slow trader, deciding every 4 hours: its audition fails (policy v1
        // wants a decision per asset every hour), and its owner retires it.
        var slow: [(id: String, owner: String)] = []
        for index in 0..<clones {
            let rule = RuleEngine.rules[index % RuleEngine.rules.count]
            let risk = RiskPreset.names[Int(random.next() % UInt64(RiskPreset.names.count))]
            let picked = symbols.filter { _ in random.next() % 3 != 0 }
            let isSlow = index % 5 == 4
            let pace = isSlow ? "4h" : cadence
            var graph = StrategyChoices(assets: picked.isEmpty ? [symbols[0]] : picked, prompt: "\(rule) on the \(pace) tape", cadence: pace,
                                        risk: risk, sources: ["price", "derivatives"]).graph(.custom).convertedUp()
            let prompt = graph.blocks.firstIndex { $0.kind == "trading_prompt" }!
            graph.blocks[prompt].rule = rule
            let name = SeasonSimulate.names[index % SeasonSimulate.names.count] + (index >= SeasonSimulate.names.count ? " \(index / SeasonSimulate.names.count + 1)" : "")
            let owner = "0x" + String(format: "%016llx%016llx%08x", random.next(), random.next(), UInt32(truncatingIfNeeded: random.next()))
            try ledger.createClone(id: "c-\(index + 1)", owner: owner,
                                   identity: .init(name: name, avatarText: String(name.prefix(2)), tagline: "\(rule), \(risk) risk, every \(pace)"),
                                   graph: graph)
            if isSlow { slow.append(("c-\(index + 1)", owner)) }
        }
        progress?("\(clones) clones created; auditions over the first 24 hours")
        var settings = ArenaScheduler.Settings(originMs: origin)
        settings.slotCount = slots
        settings.racesMax = races
        settings.storePackets = storePackets
        settings.treeDirectory = ledger.treeDirectory
        let scheduler = ArenaScheduler(log: ledger.log, artifacts: ledger.artifacts, settings: settings,
                                       engine: try engine.perClone(artifacts: ledger.artifacts))
        let holders = (0..<spectators).map { _ in "0x" + String(format: "%016llx%016llx%08x", random.next(), random.next(), UInt32(truncatingIfNeeded: random.next())) }
        var totals = Totals()
        let head = try ledger.head.sequence
        // The read models follow the log on another thread while the season runs.
        let follower = PeriodicWork { _ = try ledger.project() }
        defer { try? follower.finish() }
        var time = start
        let end = origin + Int64(races - 1) * settings.raceEveryMs + settings.raceEveryMs + settings.raceDurationMs
        var ticketed = Set<String>()
        while time <= end {
            let report = try scheduler.advance(to: time, progress: progress)
            totals.decisions += report.decisions
            totals.report += report
            // The owners of clones that failed their audition retire them once the verdicts are in.
            if time == origin, !slow.isEmpty {
                let auditions = try ledger.log.read(streams: Set(slow.map { "audition.\($0.id)" }))
                for (id, owner) in slow {
                    let verdict = auditions["audition.\(id)"]?.last { $0.type == AuditionDecided.type }
                    guard let verdict, try !EventCatalog.decode(verdict, as: AuditionDecided.self).passed else { continue }
                    try scheduler.retire(id, reason: "owner", policy: 0, owner: owner, at: time)
                    totals.report.retirements += 1
                    progress?("\(id) retired by its owner after its audition failed")
                }
            }
            // An hour into each race's accumulation, the spectators buy.
            if let race = scheduler.accumulatingRace, !ticketed.contains(race.raceId), !race.lineup.isEmpty {
                ticketed.insert(race.raceId)
                for holder in holders {
                    let clone = race.lineup[Int(random.next() % UInt64(race.lineup.count))]
                    let bought = try scheduler.buyTickets(raceId: race.raceId, cloneId: clone, holder: holder, count: Int(random.next() % 5) + 1,
                                                          at: time + 3_600_000)
                    totals.tickets += bought.count
                }
                if !holders.isEmpty { progress?("race \(race.raceId): \(holders.count) spectators bought tickets") }
            }
            time += 3_600_000
        }
        try follower.finish()
        totals.events = try ledger.head.sequence - head
        totals.endMs = end
        return totals
    }

    /// The season's summary: totals, the last race's ranking and settlement, the leaderboard and the Hall of Fame.
    static func printSummary(_ ledger: Ledger, season: Totals, seconds: Double) throws {
        try ledger.query("arena") { db in
            let lastRace = try String.fetchOne(db, sql: "SELECT race_id FROM race WHERE phase = 'settled' ORDER BY number DESC LIMIT 1")
            try Output.json { json in
                json.beginObject()
                json.key("auditions_failed"); json.int(season.report.auditionsFailed)
                json.key("auditions_passed"); json.int(season.report.auditionsPassed)
                json.key("decisions"); json.int(season.decisions)
                json.key("events"); json.uint(season.events)
                if let lastRace {
                    json.key("last_race")
                    json.beginObject()
                    json.key("race_id"); json.string(lastRace)
                    json.key("ranking"); try rows(&json, db, "SELECT clone_id, rank, final_equity_e6, gain_e6, return_bp, max_drawdown_bp, max_drawdown_e6, tickets FROM racer WHERE race_id = ? AND rank IS NOT NULL ORDER BY rank, clone_id", [lastRace])
                    json.key("settlement"); try rows(&json, db, "SELECT pool_wei, rake_wei, creator_pool_wei, holder_pool_wei, breakage_wei, depends_on_sequence FROM race WHERE race_id = ?", [lastRace], single: true)
                    json.key("payout_lines"); json.int(Int64(try Int.fetchOne(db, sql: "SELECT count(*) FROM payout WHERE race_id = ?", arguments: [lastRace]) ?? 0))
                    json.endObject()
                }
                json.key("leaderboard"); try rows(&json, db, Leaderboard.allTimeSQL + " LIMIT 5")
                json.key("hall_of_fame"); try rows(&json, db, HallOfFame.sql + " LIMIT 5")
                json.key("races_cancelled"); json.int(season.report.racesCancelled)
                json.key("races_settled"); json.int(season.report.racesSettled)
                json.key("retirements"); json.int(season.report.retirements)
                json.key("seconds"); json.decimal(seconds, places: 3)
                json.key("tickets"); json.int(season.tickets)
                json.endObject()
            }
        }
    }

    /// The rows of a query as JSON; a query that fails stops the summary with its error.
    static func rows(_ json: inout CanonicalJSONWriter, _ db: Database, _ sql: String, _ arguments: StatementArguments = [], single: Bool = false) throws {
        let rows = try Report.rows(db, sql, arguments)
        if single, let row = rows.first {
            json.raw(Report.json(row))
            return
        }
        json.beginArray()
        for row in rows { json.raw(Report.json(row)) }
        json.endArray()
    }
}
