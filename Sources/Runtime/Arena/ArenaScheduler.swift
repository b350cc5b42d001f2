import ClashCore
import Domain
import EventSchemas
import Foundation
import LedgerLog
import Transparency

/// The arena's process manager: it reacts to the log and the clock — a new clone's audition, its
/// verdict and promotion, a race opened every `raceEveryMs` with the arena's clones, started when
/// the next opens, traded for `raceDurationMs`, ended, settled, and the retirements its results
/// call for — and it is deterministic given the log and the time it is advanced to. Everything due
/// is done in time order (at one time: auditions begun, verdicts, races ended, started, opened), each
/// event stamped with the time it was due and given an id of its own, so a restart in the middle of
/// a season continues exactly where the log says.
public final class ArenaScheduler {
    public struct Settings: Sendable {
        /// The first race opens here; one opens every `raceEveryMs` after (when the arena has racers).
        public var originMs: Int64
        public var slotCount: Int64 = ArenaDecider.slotCountDefault
        public var raceEveryMs: Int64 = 6 * 3_600_000
        public var raceDurationMs: Int64 = 6 * 3_600_000
        public var ticketPriceWei = Wei(10_000_000_000_000_000)
        public var startingEquityE6: Int64 = PaperAccount.startingEquityDefaultE6
        /// Retirement policy v1: this many consecutive last places retire a clone.
        public var lastPlacesToRetire = 5
        public var storePackets = true
        /// No race opens once this many have (nil: no end).
        public var racesMax: Int?
        /// Where the log's Merkle tree sidecar is kept (nil: the tree is hashed in memory).
        public var treeDirectory: String?

        public init(originMs: Int64) { self.originMs = originMs }
    }

    /// The retirement rule's version, recorded in `clone.retired`.
    public static let retirementPolicy: Int64 = 1

    /// What a call did.
    public struct Report: Sendable, Equatable {
        public var auditionsPassed = 0, auditionsFailed = 0, racesOpened = 0, racesStarted = 0, racesSettled = 0, racesCancelled = 0
        public var retirements = 0, decisions = 0

        public init() {}

        public static func += (total: inout Report, report: Report) {
            total.auditionsPassed += report.auditionsPassed
            total.auditionsFailed += report.auditionsFailed
            total.racesOpened += report.racesOpened
            total.racesStarted += report.racesStarted
            total.racesSettled += report.racesSettled
            total.racesCancelled += report.racesCancelled
            total.retirements += report.retirements
            total.decisions += report.decisions
        }
    }

    /// Something due.
    enum Action: Comparable {
        case auditionStart(clone: String, at: Int64)
        case auditionDecide(clone: String, at: Int64)
        case raceEnd(race: String, at: Int64)
        case raceStart(race: String, at: Int64)
        case raceOpen(at: Int64)

        var time: Int64 {
            switch self {
            case let .auditionStart(_, at), let .auditionDecide(_, at), let .raceEnd(_, at), let .raceStart(_, at), let .raceOpen(at): at
            }
        }

        var order: Int {
            switch self {
            case .auditionStart: 0
            case .auditionDecide: 1
            case .raceEnd: 2
            case .raceStart: 3
            case .raceOpen: 4
            }
        }

        static func < (a: Action, b: Action) -> Bool { (a.time, a.order) < (b.time, b.order) }
    }

    struct Clone {
        var createdMs: Int64
        var creator: String
        var strategyHash: String
        var retired = false
        var audition: (id: String, fromMs: Int64, decided: Bool)?
    }

    let log: any LogStore
    let artifacts: any ArtifactStore
    let engine: (String) throws -> any DecisionEngine
    public let settings: Settings
    var clones: [String: Clone] = [:]
    var cloneOrder: [String] = []
    public private(set) var arena = ArenaState()
    public private(set) var races: [String: RaceState] = [:]
    var raceOrder: [String] = []
    var openedMs: [String: Int64] = [:]
    var startedMs: [String: Int64] = [:]
    /// The sequence of each race's `race.started`: its racers' runs are all logged after it.
    var startedSequence: [String: UInt64] = [:]
    /// The kill switch's records so far (every session starts from them).
    var killSwitchRecords: [LogRecord] = []
    /// The market view the last race was traded over: races follow one another in time, so the
    /// next one moves it on instead of folding the market again from the log's start.
    var racePipeline: ContextPipeline?
    /// The sessions of the races under way, traded as far as time has come (in this process; a
    /// restarted scheduler trades a race whole at its end, which appends the same batches).
    var raceSessions: [String: TradingSession] = [:]
    var lastPlaces: [String: Int] = [:]
    /// The latest time the scheduler wrote for: what is due before it is done.
    var progressMs: Int64 = .min
    var next: UInt64 = 1

    private var tree: LogTree?

    public init(log: any LogStore, artifacts: any ArtifactStore, settings: Settings, engine: @escaping (String) throws -> any DecisionEngine) {
        self.log = log
        self.artifacts = artifacts
        self.settings = settings
        self.engine = engine
    }

    /// The race accumulating now (the one tickets are sold for), if any.
    public var accumulatingRace: RaceState? { raceOrder.lazy.compactMap { self.races[$0] }.last { $0.phase == .accumulating } }

    /// Does everything due at or before `time`, in time order; `progress` hears of each step.
    @discardableResult
    public func advance(to time: Int64, progress: ((String) -> Void)? = nil) throws -> Report {
        var report = Report()
        while true {
            try catchUp()
            guard let action = nextAction(), action.time <= time else { break }
            try perform(action, report: &report, progress: progress)
        }
        // A running race is traded as far as time has come, so its racers' fills and marks are
        // logged as it runs, an hour at a time (its end trades the rest and ranks it).
        for raceId in raceOrder where races[raceId]?.phase == .running {
            guard let started = startedMs[raceId], let race = races[raceId], time > started, time < started + race.durationMs else { continue }
            try raceSession(raceId, endingAt: started + race.durationMs).step(until: time)
        }
        return report
    }

    /// The session trading `raceId` over its whole span: the one this process has been stepping as
    /// the race runs, or a new one (started from the racers' streams as the log holds them).
    private func raceSession(_ raceId: String, endingAt end: Int64) throws -> TradingSession {
        try catchUp()  // the kill switch's newest records among them
        if let session = raceSessions[raceId] {
            try session.takeKillSwitch(killSwitchRecords)
            return session
        }
        let race = races[raceId]!
        let session = try RaceTrading.session(log: log, artifacts: artifacts, raceId: raceId, lineup: race.lineup,
                                              graph: { try StrategyGraph.decode(try self.artifacts.get(self.clones[$0]!.strategyHash)) },
                                              engine: engine, fromMs: startedMs[raceId]!, toMs: end, startingEquityE6: race.startingEquityE6,
                                              storePackets: settings.storePackets, pipeline: racePipeline)
        racePipeline = session.pipeline
        // The racers' runs and accounts (empty unless an earlier attempt was cut off) are all after
        // race.started; the kill switch's records are known.
        var streams = try log.read(streams: session.streamsRead.subtracting([KillSwitchSet.stream]), from: startedSequence[raceId] ?? 1)
        streams[KillSwitchSet.stream] = killSwitchRecords
        try session.step(until: startedMs[raceId]!, streams: streams)
        raceSessions[raceId] = session
        return session
    }

    /// Trades, ends and settles running race `raceId` at `at`: what `advance` does when its time is
    /// up, on its own (a benchmark, a race opened by hand).
    @discardableResult
    public func finishRace(_ raceId: String, at: Int64) throws -> Report {
        try catchUp()
        guard races[raceId]?.phase == .running, startedMs[raceId] != nil else {
            throw DomainError("race.not_running", "race \(raceId) is \(races[raceId]?.phase.rawValue ?? "unknown"), not running")
        }
        var report = Report()
        try endRace(raceId, at: at, report: &report, progress: nil)
        return report
    }

    /// Folds what was appended since the last look.
    public func catchUp() throws {
        try log.forEach(from: next, filter: .all) { record in
            next = record.sequence + 1
            try apply(record)
            return true
        }
    }

    func apply(_ record: LogRecord) throws {
        let type = record.type
        if record.stream == KillSwitchSet.stream { killSwitchRecords.append(record) }
        guard type.hasPrefix("clone.") || type.hasPrefix("audition.") || type.hasPrefix("arena.") || type.hasPrefix("promotion.")
                || type.hasPrefix("race.") || type.hasPrefix("ticket.") else { return }
        let event = try EventCatalog.decode(record)
        if !type.hasPrefix("clone.") && !type.hasPrefix("ticket.") { progressMs = max(progressMs, record.timestampMs) }
        switch event {
        case let created as CloneCreated:
            clones[created.cloneId] = Clone(createdMs: record.timestampMs, creator: created.creator, strategyHash: created.strategyHash)
            cloneOrder.append(created.cloneId)
        case let changed as CloneStrategyChanged:
            clones[changed.cloneId]?.strategyHash = changed.strategyHash
        case let retired as CloneRetired:
            clones[retired.cloneId]?.retired = true
            if retired.retirementPolicy > 0 { progressMs = max(progressMs, record.timestampMs) }
        case let started as AuditionStarted:
            clones[started.cloneId]?.audition = (started.auditionId, started.fromMs, false)
        case let decided as AuditionDecided:
            clones[decided.cloneId]?.audition?.decided = true
        case is PromotionQueued, is ArenaSlotAssigned, is ArenaSlotFreed, is PromotionWithdrawn:
            arena = ArenaDecider.evolve(arena, event)
        default:
            guard let raceId = Self.raceId(of: event) else { return }
            if races[raceId] == nil {
                races[raceId] = RaceState(raceId: raceId)
                raceOrder.append(raceId)
            }
            RaceDecider.apply(event, to: &races[raceId]!)
            if event is RaceOpened { openedMs[raceId] = record.timestampMs }
            if event is RaceStarted {
                startedMs[raceId] = record.timestampMs
                startedSequence[raceId] = record.sequence
            }
            if let ended = event as? RaceEnded {
                for result in ended.results {
                    lastPlaces[result.cloneId] = RankingPolicy.isLastPlace(result, in: ended.results) ? (lastPlaces[result.cloneId] ?? 0) + 1 : 0
                }
            }
        }
    }

    static func raceId(of event: any CatalogEvent) -> String? {
        switch event {
        case let event as RaceOpened: event.raceId
        case let event as TicketBought: event.raceId
        case let event as RacerWithdrawn: event.raceId
        case let event as TicketRefunded: event.raceId
        case let event as RaceStarted: event.raceId
        case let event as RaceEnded: event.raceId
        case let event as RaceSettled: event.raceId
        case let event as RaceCancelled: event.raceId
        default: nil
        }
    }

    /// The earliest thing due.
    func nextAction() -> Action? {
        var actions: [Action] = []
        for id in cloneOrder {
            let clone = clones[id]!
            if clone.retired { continue }
            if let audition = clone.audition {
                if !audition.decided { actions.append(.auditionDecide(clone: id, at: audition.fromMs + AuditionPolicy.durationMs)) }
            } else {
                actions.append(.auditionStart(clone: id, at: max(clone.createdMs, progressMs)))
            }
        }
        for id in raceOrder {
            let race = races[id]!
            if race.phase == .accumulating, let opened = openedMs[id] { actions.append(.raceStart(race: id, at: opened + settings.raceEveryMs)) }
            if race.phase == .running, let started = startedMs[id] { actions.append(.raceEnd(race: id, at: started + race.durationMs)) }
        }
        if !arena.racers.isEmpty, raceOrder.count < settings.racesMax ?? .max {
            // The next grid time not yet passed, after the last race opened.
            var open = raceOrder.last.flatMap { openedMs[$0] }.map { $0 + settings.raceEveryMs } ?? settings.originMs
            if open < progressMs {
                open += (progressMs - open + settings.raceEveryMs - 1) / settings.raceEveryMs * settings.raceEveryMs
            }
            actions.append(.raceOpen(at: open))
        }
        return actions.min()
    }

    func perform(_ action: Action, report: inout Report, progress: ((String) -> Void)?) throws {
        switch action {
        case let .auditionStart(id, at):
            let started = AuditionStarted(cloneId: id, auditionId: "a-\(id)", policy: AuditionPolicy.version, fromMs: at,
                                          toMs: at + AuditionPolicy.durationMs, marketSeed: nil)
            try append([started], ids: ["audition-\(id)-started"], stream: Streams.audition(id), at: at)
        case let .auditionDecide(_, at):
            try decideAuditions(endingAt: at, report: &report, progress: progress)
        case let .raceOpen(at):
            let raceId = "r-\(raceOrder.count + 1)"
            let events = try decideRace(raceId, .open(lineup: arena.racers, ticketPriceWei: settings.ticketPriceWei,
                                                       startingEquityE6: settings.startingEquityE6, durationMs: settings.raceDurationMs))
            try append(events, ids: ["\(raceId)-opened"], stream: RaceDecider.stream(raceId), at: at, expecting: .noStream)
            report.racesOpened += 1
            progress?("race \(raceId) opened with \(arena.racers.count) racers")
        case let .raceStart(raceId, at):
            let race = races[raceId]!
            if race.lineup.isEmpty {
                try cancel(raceId, reason: "no_racer_left", at: at)
                report.racesCancelled += 1
            } else {
                try append(try decideRace(raceId, .start), ids: ["\(raceId)-started"], stream: RaceDecider.stream(raceId), at: at,
                           expecting: .exactly(race.version))
                report.racesStarted += 1
                progress?("race \(raceId) started: \(race.tickets.count) tickets")
            }
        case let .raceEnd(raceId, at):
            try endRace(raceId, at: at, report: &report, progress: progress)
        }
    }

    // MARK: - Auditions

    /// One clone's audition, outside the schedule: begun at its creation if it was not, and
    /// decided when the logged market reaches the end of its day (`marketMs`, the newest market
    /// time). Returns the verdict, or nil when the market does not reach it yet.
    public func runAudition(_ id: String, marketMs: Int64) throws -> AuditionDecided? {
        try catchUp()
        guard let clone = clones[id], !clone.retired else {
            throw DomainError("clone.unknown", "no active clone has id \(id); `clash clones list` shows the clones")
        }
        var report = Report()
        if clone.audition == nil { try perform(.auditionStart(clone: id, at: clone.createdMs), report: &report, progress: nil) }
        try catchUp()
        let audition = clones[id]!.audition!
        let end = audition.fromMs + AuditionPolicy.durationMs
        if !audition.decided {
            guard end <= marketMs else { return nil }
            try perform(.auditionDecide(clone: id, at: end), report: &report, progress: nil)
        }
        let record = try log.read(stream: Streams.audition(id)).last { $0.type == AuditionDecided.type }
        return try record.map { try EventCatalog.decode($0, as: AuditionDecided.self) }
    }

    /// Every audition whose day ends at `at`, traded together (one market view, one append per
    /// step), then each verdict in clone order, and the passing clones admitted.
    func decideAuditions(endingAt at: Int64, report: inout Report, progress: ((String) -> Void)?) throws {
        let due = cloneOrder.filter { id in
            guard let clone = clones[id], !clone.retired, let audition = clone.audition else { return false }
            return !audition.decided && audition.fromMs + AuditionPolicy.durationMs == at
        }
        guard let first = due.first, let from = clones[first]?.audition?.fromMs else { return }
        let specs = try due.map { id -> (graph: StrategyGraph, engine: any DecisionEngine, settings: TradingRun.Settings) in
            let graph = try StrategyGraph.decode(try artifacts.get(clones[id]!.strategyHash))
            return (graph, try engine(id), TradingRun.Settings(cloneId: id, competitionId: clones[id]!.audition!.id, competitionKind: "audition", fromMs: from,
                                                               toMs: at, startingEquityE6: settings.startingEquityE6, storePackets: settings.storePackets))
        }
        let session = try TradingSession(log: log, artifacts: artifacts, clones: specs)
        var completed = true
        var summaries: [TradingRun.Summary]
        do {
            _ = try session.run()
            summaries = try session.closingMarks()
        } catch where error is DomainError || error is GraphProblems {
            // A rule stopped the run before its day ended (a domain outcome: the strategy no longer
            // validates against the market, say), not a fault: judged on what it did.
            progress?("audition session stopped early: \(error)")
            completed = false
            summaries = session.summaries()
        }
        // Anything else — a failed append, a full disk, an unreadable read model, a missing
        // artifact — is a fault of the machine, not a fact about the clones: it stops the scheduler
        // with its error and no verdict is written (a restart judges the audition afresh).

        for (id, summary) in zip(due, summaries) {
            report.decisions += summary.runs
            let figures = AuditionPolicy.Figures(completed: completed, decisions: Int64(summary.runs), failedDecisions: Int64(summary.engineFailures),
                                                 minDecisionsPerAssetHour: Int64(summary.minRunsPerAssetHour),
                                                 maxDrawdownBp: summary.account.maxDrawdownBp, returnBp: summary.account.returnBp(marks: summary.marks))
            let verdict = AuditionPolicy.verdict(cloneId: id, auditionId: clones[id]!.audition!.id, figures)
            try append([verdict], ids: ["audition-\(id)-decided"], stream: Streams.audition(id), at: at)
            if verdict.passed {
                report.auditionsPassed += 1
                try appendArena(try ArenaDecider.decide(.admit(cloneId: id, passedMs: at, slotCount: settings.slotCount), arena), at: at)
            } else {
                report.auditionsFailed += 1
            }
            try catchUp()
            progress?("audition of \(id): \(verdict.passed ? "passed" : "failed (\(verdict.failures.joined(separator: ", ")))") — \(summary.runs) decisions, return \(figures.returnBp) bp, drawdown \(figures.maxDrawdownBp) bp")
        }
    }

    // MARK: - Races

    func endRace(_ raceId: String, at: Int64, report: inout Report, progress: ((String) -> Void)?) throws {
        try catchUp()  // the kill switch's newest records among them
        let race = races[raceId]!
        let session = try raceSession(raceId, endingAt: at)
        raceSessions[raceId] = nil
        // The settlement names the Merkle root through race.ended: the tree follows the log on
        // another thread while the race trades, and only the last events are left to hash.
        let following = PeriodicWork { [tree = try logTree()] in _ = try tree.catchUp() }
        let trading = Result { () -> [TradingRun.Summary] in
            try session.step(until: at)
            return session.summaries()
        }
        let followed = Result { try following.finish() }
        let traded = try trading.get()
        try followed.get()
        report.decisions += traded.reduce(0) { $0 + $1.runs }
        let standings = RaceTrading.standings(lineup: race.lineup, closing: try session.closingMarks())
        try catchUp()
        let ended = try decideRace(raceId, .end(standings: standings, rankingPolicy: RankingPolicy.version))
        let result = try append(ended, ids: ["\(raceId)-ended"], stream: RaceDecider.stream(raceId), at: at, expecting: .exactly(races[raceId]!.version))
        try catchUp()
        // The settlement depends on everything up to the end of the race: its last event is race.ended.
        let chain = try log.chain(endingAt: result.lastSequence)?.hex ?? ""
        let treeRoot = try treeRoot(through: result.lastSequence)
        let creators = Dictionary(uniqueKeysWithValues: race.lineup.map { ($0, clones[$0]?.creator ?? "") })
        let settled = try decideRace(raceId, .settle(creators: creators, dependsOnSequence: Int64(result.lastSequence), dependsOnChain: chain,
                                                     dependsOnTreeRoot: treeRoot))
        try append(settled, ids: ["\(raceId)-settled"], stream: RaceDecider.stream(raceId), at: at, expecting: .exactly(races[raceId]!.version))
        try catchUp()
        report.racesSettled += 1
        if let winner = (ended.first as? RaceEnded)?.results.first {
            progress?("race \(raceId) settled: \(winner.cloneId) won (\(winner.returnBp) bp), pool \(race.poolWei) wei")
        }
        // Retirement by rule: consecutive last places.
        for id in race.lineup where (lastPlaces[id] ?? 0) >= settings.lastPlacesToRetire && clones[id]?.retired == false {
            try retire(id, reason: "last_places", policy: Self.retirementPolicy, at: at)
            report.retirements += 1
            progress?("\(id) retired after \(settings.lastPlacesToRetire) last places in a row")
        }
    }

    /// Retires a clone: the clone's event, its withdrawal from the accumulating race (tickets
    /// refunded), its slot freed for the next in the queue (or its place in the queue given up).
    public func retire(_ id: String, reason: String, policy: Int64, owner: String? = nil, at: Int64) throws {
        try catchUp()
        var state = try log.cloneState(id)
        state.runningRaceId = raceOrder.first { races[$0]!.phase == .running && races[$0]!.lineup.contains(id) }
        let command: CloneCommand = owner.map { .retire(by: $0) } ?? .retireByRule(reason: reason, policy: policy)
        let events = try CloneDecider.decide(command, state).map(\.event)
        try append(events, ids: ["clone-\(id)-retired"], stream: CloneDecider.stream(id), at: at,
                   expecting: state.exists ? .exactly(state.version) : .noStream)
        let because = owner == nil ? "retired_by_rule" : "retired_by_owner"
        if let race = accumulatingRace, race.lineup.contains(id) {
            let withdrawal = try decideRace(race.raceId, .withdraw(cloneId: id, reason: because))
            try append(withdrawal, ids: withdrawal.map { Self.eventId($0, race: race.raceId) }, stream: RaceDecider.stream(race.raceId), at: at,
                       expecting: .exactly(race.version))
        }
        try catchUp()
        if arena.slot(of: id) != nil || arena.queue.contains(where: { $0.cloneId == id }) {
            try appendArena(try ArenaDecider.decide(.leave(cloneId: id, reason: because), arena), at: at)
        }
        try catchUp()
    }

    /// Cancels a race: every ticket refunded.
    public func cancel(_ raceId: String, reason: String, at: Int64) throws {
        try catchUp()
        let race = races[raceId] ?? RaceState(raceId: raceId)
        let events = try RaceDecider.decide(.cancel(reason: reason), race)
        try append(events, ids: events.map { Self.eventId($0, race: raceId) }, stream: RaceDecider.stream(raceId), at: at,
                   expecting: .exactly(race.version))
        try catchUp()
    }

    /// Buys tickets on the accumulating race (or `raceId`'s, which must be accumulating).
    ///
    /// `order` names the purchase (the buyer's idempotency key, scoped to the holder): its tickets
    /// carry it as their correlation id, and a purchase again with the same order buys nothing more
    /// and answers the tickets first bought — or `ticket.order_conflict` when it asks for others.
    @discardableResult
    public func buyTickets(raceId: String, cloneId: String, holder: String, count: Int, at: Int64, order: String? = nil) throws -> [TicketBought] {
        try catchUp()
        let holder = try Address.parse(holder, field: "holder", code: "ticket.holder")
        let correlation = order.map { Self.orderCorrelation(holder: holder, order: $0) }
        if let correlation {
            let bought = try log.read(stream: RaceDecider.stream(raceId)).filter { $0.correlationId == correlation }
                .map { try EventCatalog.decode($0, as: TicketBought.self) }
            if !bought.isEmpty {
                guard bought.count == count, bought.allSatisfy({ $0.cloneId == cloneId }) else {
                    throw DomainError("ticket.order_conflict", "order \(order ?? "") bought \(bought.count) ticket(s) on \(bought[0].cloneId) already; a new purchase needs a new key")
                }
                return bought
            }
        }
        let race = races[raceId] ?? RaceState(raceId: raceId)
        let events = try RaceDecider.decide(.buy(cloneId: cloneId, holder: holder, count: count), race)
        try append(events, ids: events.map { Self.eventId($0, race: raceId) }, stream: RaceDecider.stream(raceId), at: at,
                   expecting: .exactly(race.version), correlation: correlation)
        try catchUp()
        return events.compactMap { $0 as? TicketBought }
    }

    /// The correlation id of a holder's order: `order-` and 32 hex digits of SHA-256 of the holder and key.
    static func orderCorrelation(holder: Address, order: String) -> String {
        "order-" + ContentHash.of(Array("\(holder.lowercase)\n\(order)".utf8)).prefix(32)
    }

    /// The id the arena gives a race's event (a retry of the same step writes nothing).
    public static func eventId(_ event: any CatalogEvent, race: String) -> String {
        switch event {
        case let ticket as TicketBought: ticket.ticketId
        case let refund as TicketRefunded: "\(refund.ticketId)-refunded"
        case let withdrawn as RacerWithdrawn: "\(race)-withdrawn-\(withdrawn.cloneId)"
        case is RaceCancelled: "\(race)-cancelled"
        default: "\(race)-\(type(of: event).type)"
        }
    }

    func decideRace(_ raceId: String, _ command: RaceCommand) throws -> [any CatalogEvent] {
        try RaceDecider.decide(command, races[raceId] ?? RaceState(raceId: raceId))
    }

    func appendArena(_ events: [any CatalogEvent], at: Int64) throws {
        let ids = events.map { event -> String in
            switch event {
            case let queued as PromotionQueued: "arena-queued-\(queued.cloneId)"
            case let assigned as ArenaSlotAssigned: "arena-assigned-\(assigned.cloneId)"
            case let freed as ArenaSlotFreed: "arena-freed-\(freed.cloneId)"
            case let withdrawn as PromotionWithdrawn: "arena-withdrawn-\(withdrawn.cloneId)"
            default: "arena-\(arena.version)"
            }
        }
        try append(events, ids: ids, stream: ArenaDecider.stream, at: at, expecting: arena.version == 0 ? .noStream : .exactly(arena.version))
    }

    @discardableResult
    func append(_ events: [any CatalogEvent], ids: [String], stream: String, at: Int64, expecting: ExpectedVersion = .any,
                correlation: String? = nil) throws -> AppendResult {
        precondition(events.count == ids.count, "an id per event")
        guard !events.isEmpty else { return AppendResult(firstSequence: 0, lastSequence: 0, written: false) }
        let drafts = try zip(events, ids).map { try $0.draft(id: $1, stream: stream, timestampMs: at, correlationId: correlation) }
        // What the arena decides (tickets, races, auditions, slots) never breaks its schema.
        for draft in drafts { try EventCatalog.check(draft) }
        return try log.append(drafts, expectations: expecting == .any ? [:] : [stream: expecting])
    }

    /// The Merkle tree root (RFC 9162) of the log's first `size` events.
    private func treeRoot(through size: UInt64) throws -> String {
        let tree = try logTree()
        try tree.catchUp(through: size)
        return try tree.root(size: size).hex
    }

    /// The log's Merkle tree, opened at first use.
    private func logTree() throws -> LogTree {
        if let tree { return tree }
        let opened = try LogTree(log: log, directory: settings.treeDirectory)
        tree = opened
        return opened
    }

}
