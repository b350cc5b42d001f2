import ArgumentParser
import Clash
import Foundation

/// The arena's settings on the command line (the same on every invocation of a deployment).
struct ArenaOptions: ParsableArguments {
    @Option(help: "Arena slots.") var slots: Int64 = ArenaDecider.slotCountDefault
    @Option(help: "Races open on the grid of this time (ms) every 6 hours (default: midnight UTC of 1970, so at 00, 06, 12 and 18 h UTC).")
    var origin: Int64 = 0
    @Flag(inversion: .prefixedNo, help: "Store every context packet in the artifact store.") var storePackets = true

    func scheduler(_ ledger: Ledger, engine: EngineOptions) throws -> ArenaScheduler {
        var settings = ArenaScheduler.Settings(originMs: origin)
        settings.slotCount = slots
        settings.storePackets = storePackets
        settings.treeDirectory = ledger.treeDirectory
        return ArenaScheduler(log: ledger.log, artifacts: ledger.artifacts, settings: settings, engine: try engine.perClone(artifacts: ledger.artifacts))
    }
}

/// The arena for commands that trade nothing (tickets, cancellations, retirements): the same
/// rules and records, no engine.
func arenaBookkeeping(_ ledger: Ledger) -> ArenaScheduler {
    ArenaScheduler(log: ledger.log, artifacts: ledger.artifacts, settings: .init(originMs: 0)) { _ in HoldEngine() }
}

/// The newest market time the log holds (nil: none).
func newestMarketMs(_ ledger: Ledger) throws -> Int64? {
    try MarketReplica(log: ledger.log).newestInLog()
}

struct ArenaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arena", abstract: "The arena: slots, queue and the scheduler that runs auditions and races.",
        subcommands: [ArenaStatus.self, ArenaRun.self])
}

struct ArenaStatus: ClashCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "The slots, the queue and the races under way.")
    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions

    func execute() throws {
        try data.query { queries in
            report.print(try queries.arenaSlots(), title: "slots")
            report.print(try queries.arenaQueue(), title: "\nqueue")
            report.print(try queries.racesUnderWay(), title: "\nraces under way")
        }
    }
}

struct ArenaRun: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The scheduler: auditions, promotions, races opened, started, ended and settled, retirements.",
        discussion: """
            With --simulated it does everything due up to --until (default: the newest logged market time) as fast as the machine \
            goes, and exits. Without, it follows the clock: every --poll-seconds it does what is due up to the newest logged market \
            time, until SIGINT or SIGTERM, which finish the current step and exit 0.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var artifacts: ArtifactOptions
    @OptionGroup var engine: EngineOptions
    @OptionGroup var arena: ArenaOptions
    @Flag(help: "Simulated time: run to --until and exit.") var simulated = false
    @Option(help: "With --simulated: up to this time, ms (default: the newest logged market time).") var until: Int64?
    @Option(help: "Seconds between looks at the log in real time.") var pollSeconds: Double = 5

    func execute() throws {
        let stop = StopSignal()
        let ledger = try artifacts.open(data)
        defer { try? ledger.close() }
        let scheduler = try arena.scheduler(ledger, engine: engine)
        var total = ArenaScheduler.Report()
        repeat {
            if let newest = try newestMarketMs(ledger) {
                let report = try scheduler.advance(to: min(until ?? .max, newest)) { Output.progress($0) }
                total += report
            }
            if simulated { break }
            var waited = 0.0
            while waited < pollSeconds, !stop.requested {
                Thread.sleep(forTimeInterval: 0.1)
                waited += 0.1
            }
        } while !stop.requested
        Output.json { json in
            json.beginObject()
            json.key("auditions_failed"); json.int(total.auditionsFailed)
            json.key("auditions_passed"); json.int(total.auditionsPassed)
            json.key("decisions"); json.int(total.decisions)
            json.key("races_cancelled"); json.int(total.racesCancelled)
            json.key("races_opened"); json.int(total.racesOpened)
            json.key("races_settled"); json.int(total.racesSettled)
            json.key("races_started"); json.int(total.racesStarted)
            json.key("retirements"); json.int(total.retirements)
            json.endObject()
        }
    }
}

struct AuditionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "auditions", abstract: "Auditions: 24 hours of paper trading.",
                                                    subcommands: [AuditionsRun.self])
}

struct AuditionsRun: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a clone's audition now over the 24 logged hours from its creation; print the verdict.",
        discussion: "The verdict (policy v1) names every figure behind it; a clone that passes enters the arena or its queue.")
    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var artifacts: ArtifactOptions
    @OptionGroup var engine: EngineOptions
    @OptionGroup var arena: ArenaOptions
    @Option(help: "The clone's id.") var clone: String

    func execute() throws {
        let ledger = try artifacts.open(data)
        defer { try? ledger.close() }
        let scheduler = try arena.scheduler(ledger, engine: engine)
        guard let market = try newestMarketMs(ledger) else { throw ValidationError("the log holds no market data to audition on") }
        guard let verdict = try scheduler.runAudition(clone, marketMs: market) else {
            throw ValidationError("the logged market ends at \(market); clone \(clone)'s audition needs its 24 hours from its creation logged first")
        }
        try report.print(objects: [try verdict.canonicalPayload()])
    }
}

struct RacesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "races", abstract: "Races: list, show, cancel.",
                                                    subcommands: [RacesList.self, RacesShow.self, RacesCancel.self])
}

struct RacesList: ClashCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every race: phase, times, tickets, pool, winner.")
    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions

    func execute() throws {
        try data.query { report.print(try $0.races()) }
    }
}

struct RacesShow: ClashCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One race: its figures, the ranking and every payout line.")
    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @Argument(help: "The race's id.") var race: String

    func execute() throws {
        let details = try data.query { try $0.race(race) }
        report.print([details.race], title: "race")
        report.print(details.racers, title: "\nracers")
        report.print(details.payouts, title: "\npayouts")
    }
}

struct RacesCancel: ClashCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a race not yet settled: every ticket refunded in full.")
    @OptionGroup var data: DataOptions
    @Argument(help: "The race's id.") var race: String
    @Option(help: "Why: a reason code of lowercase letters, digits and _, e.g. operator or data_outage.") var reason: String
    @Option(help: "Stamp the events with this time in ms (default: now).") var at: Int64?

    func execute() throws {
        let ledger = try Ledger.open(directory: data.directory)
        defer { try? ledger.close() }
        let scheduler = arenaBookkeeping(ledger)
        try scheduler.cancel(race, reason: reason, at: at ?? Clock.nowMs())
        let state = scheduler.races[race]!
        Output.line("{\"race_id\":\"\(race)\",\"phase\":\"\(state.phase.rawValue)\",\"refunded\":\(state.refunded.count)}")
    }
}

struct TicketsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tickets", abstract: "Spectators' tickets.", subcommands: [TicketsBuy.self, TicketsShow.self])
}

struct TicketsBuy: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "buy", abstract: "Buy tickets on a clone of the accumulating race; prints each ticket.",
        discussion: "Refused, nothing written, when the race is unknown or not accumulating, the clone not in its line-up, the count below 1 or the holder not an address.")
    @OptionGroup var data: DataOptions
    @Option(help: "The race.") var race: String
    @Option(help: "The clone backed.") var clone: String
    @Option(help: "The holder's address: 0x and 40 hex digits, lowercase or EIP-55 checksummed.") var holder: String
    @Option(help: "How many tickets.") var count = 1
    @Option(help: "Stamp the tickets with this time in ms (default: now).") var at: Int64?

    func execute() throws {
        let ledger = try Ledger.open(directory: data.directory)
        defer { try? ledger.close() }
        let scheduler = arenaBookkeeping(ledger)
        for ticket in try scheduler.buyTickets(raceId: race, cloneId: clone, holder: holder, count: count, at: at ?? Clock.nowMs()) {
            Output.line(try ticket.canonicalPayload())
        }
    }
}

struct TicketsShow: ClashCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "A holder's tickets, stakes, payouts and refunds.")
    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @Option(help: "The holder's address.") var holder: String

    func execute() throws {
        let holder = try Address.parse(holder, field: "--holder", code: "clone.bad_address")
        let held = try data.query { try $0.tickets(holder: holder) }
        report.print(held.tickets, title: "tickets")
        report.print(held.payouts, title: "\npayouts")
    }
}

struct LeaderboardCommand: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard", abstract: "A race's ranking, or all time: wins, then podiums, then cumulative gain (exact), then clone id.")
    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @Option(help: "One race's ranking.") var race: String?

    func execute() throws {
        try data.query { queries in report.print(try race.map(queries.raceRanking) ?? queries.leaderboard()) }
    }
}

struct HallOfFameCommand: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "hall-of-fame", abstract: "Every clone's career, retired ones included: races, wins, podiums, returns, what its backers earned.")
    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions

    func execute() throws {
        try data.query { report.print(try $0.hallOfFame()) }
    }
}
