import ArgumentParser
import Clash
import Foundation

/// Times a season end to end (`Season.run`: market, clones, auditions, races, tickets, settlements
/// with every read model folded) in a fresh data directory, and a settlement of a race holding
/// `--tickets` tickets on its own.
struct BenchSeason: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "season", abstract: "Time a whole season and the settlement of a large race; print JSON.")

    @OptionGroup var data: DataOptions
    @Option(help: "Clones.") var clones = 12
    @Option(help: "Races (a week of 6-hour races is 28).") var races = 28
    @Option(help: "Perpetuals.") var assets = 10
    @Option(help: "Every clone's cadence.") var cadence = "1m"
    @Option(help: "Spectators per race.") var spectators = 50
    @Option(help: "Tickets in the race whose settlement is timed alone.") var tickets = 100_000
    @OptionGroup var engine: EngineOptions

    func execute() throws {
        let settle = try timeSettlement()
        let directory = data.directory + "/bench-season-\(engine.seed)"
        try? FileManager.default.removeItem(atPath: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let began = monotonicSeconds()
        let ledger = try Ledger.open(directory: directory, clock: FixedClock(Season.start), ids: SeededIds(seed: engine.seed, prefix: "season"))
        defer { try? ledger.close() }
        let season = try Season.run(ledger: ledger, seed: engine.seed, clones: clones, races: races, spectators: spectators, assets: assets,
                                    cadence: cadence, slots: ArenaDecider.slotCountDefault, engine: try engine.perClone(artifacts: ledger.artifacts),
                                    storePackets: true, progress: nil)
        try ledger.project()
        let seconds = monotonicSeconds() - began
        let head = try ledger.head.chain.hex
        Output.json { json in
            json.beginObject()
            json.key("decisions"); json.int(season.decisions)
            json.key("decisions_per_second"); json.int(Int(Double(season.decisions) / seconds))
            json.key("events"); json.uint(season.events)
            json.key("head_hash"); json.string(head)
            json.key("races_settled"); json.int(season.report.racesSettled)
            json.key("seconds"); json.decimal(seconds, places: 3)
            json.key("settle_seconds"); json.decimal(settle.seconds, places: 4)
            json.key("settle_tickets_fold_seconds"); json.decimal(settle.foldSeconds, places: 4)
            json.key("settle_tickets"); json.int(tickets)
            json.key("settle_payout_lines"); json.int(settle.lines)
            json.key("tickets"); json.int(season.tickets)
            json.endObject()
        }
    }

    /// A race of 10 racers with `tickets` tickets from 5,000 holders, settled by the decider; the
    /// time of folding the tickets into the race's state (one event at a time, as the scheduler
    /// does) and of the settlement alone (ranking excluded).
    func timeSettlement() throws -> (seconds: Double, lines: Int, foldSeconds: Double) {
        var random = SplitMix64(seed: engine.seed)
        let lineup = (1...10).map { "c-\($0)" }
        var race = RaceState(raceId: "r-bench")
        let opened = try RaceDecider.decide(.open(lineup: lineup, ticketPriceWei: Wei(10_000_000_000_000_000), startingEquityE6: 10_000_000_000,
                                                  durationMs: 21_600_000), race)
        race = opened.reduce(race, RaceDecider.evolve)
        let holders = try (0..<5_000).map { try Address("0x" + String(format: "%040x", $0 + 1)) }
        let folding = monotonicSeconds()
        for _ in 0..<tickets {
            let ticket = TicketBought(ticketId: "t\(race.ticketsBought + 1)", raceId: race.raceId, cloneId: lineup[Int(random.next() % 10)],
                                      holder: holders[Int(random.next() % 5_000)], priceWei: race.ticketPriceWei)
            RaceDecider.apply(ticket, to: &race)
        }
        let foldSeconds = monotonicSeconds() - folding
        race = try RaceDecider.decide(.start, race).reduce(race, RaceDecider.evolve)
        let standings = lineup.enumerated().map {
            RaceDecider.Standing(cloneId: $1, finalEquityE6: 10_000_000_000 + Int64($0 % 4), returnBp: 0, maxDrawdownBp: 0, maxDrawdownE6: 0)
        }
        race = try RaceDecider.decide(.end(standings: standings, rankingPolicy: RankingPolicy.version), race).reduce(race, RaceDecider.evolve)
        let creators = Dictionary(uniqueKeysWithValues: lineup.map { ($0, "0x" + String(repeating: "c", count: 40)) })
        let began = monotonicSeconds()
        let settled = try RaceDecider.decide(.settle(creators: creators, dependsOnSequence: 1, dependsOnChain: "", dependsOnTreeRoot: ""), race)
        let seconds = monotonicSeconds() - began
        return (seconds, (settled.first as? RaceSettled)?.payouts.count ?? 0, foldSeconds)
    }
}
