import Domain
import EventSchemas
import Foundation
import Market
import Runtime

/// A season of the arena on a synthetic market: what `clash season simulate` and `clash bench season` run.
public enum Season {
    /// What a season did.
    public struct Totals: Sendable {
        public var decisions = 0, tickets = 0, events: UInt64 = 0
        public var report = ArenaScheduler.Report()
        public var endMs: Int64 = 0
    }

    /// When a season's market starts (2024-06-01 00:00 UTC): its clones are created then.
    public static let start: Int64 = 1_717_200_000_000
    /// The clones' names, in order (numbered from the second round on).
    public static let names = ["Momentum Max", "Funding Fox", "Mean Queen", "Carry Cat", "Trend Rider", "Basis Bear", "Swing Owl", "Drift Hawk",
                               "Tape Reader", "Grid Wolf", "Range Rat", "Break Bull"]

    /// The whole product loop on a synthetic market (seeded by `seed`, as are the strategies and the
    /// spectators): clones with varied strategies, their auditions, the queue, races with
    /// spectators buying tickets, settlements and retirements. `engine` gives each clone's engine.
    /// `pace`, when given, is asked before each hour of the season is played, with the hour's
    /// simulated time: it may wait (a live demo plays the season as time passes) and returns false
    /// to stop there. It changes no byte of what is logged.
    public static func run(ledger: Ledger, seed: UInt64, clones: Int, races: Int, spectators: Int, assets: Int, cadence: String, slots: Int64,
                           engine: @escaping (String) throws -> any DecisionEngine, storePackets: Bool, progress: ((String) -> Void)?,
                           pace: ((Int64) -> Bool)? = nil) throws -> Totals {
        let origin = start + AuditionPolicy.durationMs
        let hours = 24 + 6 * (races + 1) + 1
        progress?("market: \(assets) perpetuals, \(hours) hours at 1-minute steps (seed \(seed))")
        try ledger.append([try CategoryMapping.event().draft(id: "categories", stream: "source.hyperliquid", timestampMs: start)])
        // The market is logged as time passes: each hour's minutes before the arena plays that hour,
        // so the arena (and a live demo's page) never sees a minute it has not reached.
        var market = MarketTape(SyntheticMarket(seed: seed, assets: assets, hours: hours, startMs: start))
        try market.append(through: start, to: ledger.log)
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
            let name = names[index % names.count] + (index >= names.count ? " \(index / names.count + 1)" : "")
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
        let scheduler = ledger.arena(settings, engine: engine)
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
            if let pace, !pace(time) { break }
            try market.append(through: time, to: ledger.log)
            let report = try scheduler.advance(to: time, progress: progress)
            totals.decisions += report.decisions
            totals.report += report
            // The owners of clones that failed their audition retire them once the verdicts are in.
            if time == origin, !slow.isEmpty {
                let auditions = try ledger.log.read(streams: Set(slow.map { Streams.audition($0.id) }))
                for (id, owner) in slow {
                    let verdict = auditions[Streams.audition(id)]?.last { $0.type == AuditionDecided.type }
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
        try market.append(through: .max, to: ledger.log)
        try follower.finish()
        totals.events = try ledger.head.sequence - head
        totals.endMs = end
        return totals
    }
}

/// A synthetic market logged a stretch at a time: the events up to a time, in batches of at most
/// `chunk`, the first event past it kept for the next stretch.
struct MarketTape {
    private var market: SyntheticMarket
    private var next: EventDraft?
    static let chunk = 4_096

    init(_ market: SyntheticMarket) {
        self.market = market
        next = self.market.next()
    }

    mutating func append(through time: Int64, to log: any LogStore) throws {
        var pending: [EventDraft] = []
        while let draft = next, draft.timestampMs <= time {
            pending.append(draft)
            next = market.next()
            if pending.count == Self.chunk {
                try log.append(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        if !pending.isEmpty { try log.append(pending) }
    }
}

