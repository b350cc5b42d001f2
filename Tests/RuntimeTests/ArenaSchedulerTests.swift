import Clash
import ClashTesting
import Foundation
import GRDB
import Market
import Testing

/// The arena's process manager over a synthetic market: auditions, the queue, races, tickets,
/// settlement, retirement — and a restart in the middle continuing exactly where the log says.
@Suite("the arena scheduler", .timeLimit(.minutes(5)))
struct ArenaSchedulerTests {
    static let start: Int64 = 1_717_200_000_000
    static let origin = start + AuditionPolicy.durationMs
    static let holders = (1...4).map { "0x" + String(repeating: String($0), count: 40) }

    /// A ledger with 2 assets over 24 + 24 hours and `clones` clones (5-minute cadence) created at
    /// the start; `extra` market events (a changed universe, say) inserted at their times.
    static func ledger(clones: Int = 3, extra: [EventDraft] = []) throws -> Ledger {
        let ledger = try Ledger.forTesting(seed: 5, clock: ManualClock(startMilliseconds: start))
        try ledger.append([try CategoryMapping.event().draft(id: "categories", stream: "source.hyperliquid", timestampMs: start)])
        var drafts: [EventDraft] = []
        var market = Array(SyntheticMarket(seed: 5, assets: 2, hours: 49))
        for event in extra { market.insert(event, at: market.firstIndex { $0.timestampMs >= event.timestampMs }!) }
        for draft in market {
            drafts.append(draft)
            if drafts.count == 10_000 { try ledger.append(drafts); drafts.removeAll() }
        }
        try ledger.append(drafts)
        for index in 1...clones {
            var graph = StrategyChoices(assets: ["BTC", "ETH"], prompt: "p", cadence: "15m", risk: "medium").graph(.custom).convertedUp()
            graph.blocks[graph.blocks.firstIndex { $0.kind == "trading_prompt" }!].rule = RuleEngine.rules[index % 3]
            try ledger.createClone(id: "c-\(index)", owner: "0x" + String(repeating: "a", count: 39) + String(index),
                                   identity: .init(name: "C\(index)", avatarText: "", tagline: ""), graph: graph)
        }
        return ledger
    }

    static func scheduler(_ ledger: Ledger, slots: Int64 = 2) -> ArenaScheduler {
        var settings = ArenaScheduler.Settings(originMs: origin)
        settings.slotCount = slots
        settings.storePackets = false
        return ArenaScheduler(log: ledger.log, artifacts: ledger.artifacts, settings: settings) { id in RulesEngine(seed: UInt64(id.count)) }
    }

    /// Drives a season hour by hour to `until`, spectators buying an hour after each race opens.
    static func drive(_ scheduler: ArenaScheduler, from: Int64 = start, until: Int64) throws {
        var time = from
        while time <= until {
            try scheduler.advance(to: time)
            if let race = scheduler.accumulatingRace, race.tickets.isEmpty, !race.lineup.isEmpty {
                for (index, holder) in holders.enumerated() {
                    try scheduler.buyTickets(raceId: race.raceId, cloneId: race.lineup[index % race.lineup.count], holder: holder, count: index + 1,
                                             at: time + 3_600_000)
                }
            }
            time += 3_600_000
        }
    }

    @Test("a fault is not a fact: an append that fails while auditions trade stops the scheduler with its error, and no verdict is written")
    func faultIsNotAVerdict() throws {
        let ledger = try Self.ledger()
        let failing = TradingRunTests.FailingAppends(ledger.log, failing: 12)
        var settings = ArenaScheduler.Settings(originMs: Self.origin)
        settings.storePackets = false
        let scheduler = ArenaScheduler(log: failing, artifacts: ledger.artifacts, settings: settings) { id in RulesEngine(seed: UInt64(id.count)) }
        #expect(throws: TradingRunTests.FailingAppends.Refused.self) { try Self.drive(scheduler, until: Self.origin) }
        #expect(failing.attempts.last == false, "the refused append is the last one tried")
        let types = Set(try ledger.log.read().map(\.type))
        #expect(types.contains(AuditionStarted.type) && !types.contains(AuditionDecided.type), "no audition verdict after a fault")

        // A restart on a log that works judges the auditions afresh, as if the fault never happened.
        let restarted = Self.scheduler(ledger)
        try Self.drive(restarted, until: Self.origin)
        let verdicts = try ledger.log.read().filter { $0.type == AuditionDecided.type }.map { try EventCatalog.decode($0, as: AuditionDecided.self) }
        #expect(verdicts.count == 3 && verdicts.allSatisfy(\.completed))
    }

    @Test("an audition whose strategy cannot be planned for an hour (ETH delisted) records those runs as skipped and fails on decisions per asset-hour, judged like any idle hour")
    func auditionWithAnInvalidHour() throws {
        func universe(_ time: Int64, ethDelisted: Bool) throws -> EventDraft {
            let assets = ["BTC", "ETH"].enumerated().map { index, symbol in
                HyperliquidUniverse.UniverseAsset(symbol: symbol, index: Int64(index), kind: "perp", quote: "USDC", sizeDecimals: 3, maxLeverage: 40,
                                                  onlyIsolated: false, delisted: ethDelisted && symbol == "ETH")
            }
            return try HyperliquidUniverse(dex: "", assets: assets).draft(id: "universe-\(time)", stream: "source.hyperliquid", timestampMs: time)
        }
        let ledger = try Self.ledger(extra: [try universe(Self.start + 10 * 3_600_000, ethDelisted: true),
                                             try universe(Self.start + 11 * 3_600_000, ethDelisted: false)])
        try Self.drive(Self.scheduler(ledger), until: Self.origin)
        let verdicts = try ledger.log.read().filter { $0.type == AuditionDecided.type }.map { try EventCatalog.decode($0, as: AuditionDecided.self) }
        #expect(verdicts.count == 3 && verdicts.allSatisfy { !$0.passed && $0.completed && $0.failures.contains("decisions_per_asset_hour") }, "\(verdicts)")
        let skipped = try ledger.log.read().filter { $0.type == RunSkipped.type }.map { try EventCatalog.decode($0, as: RunSkipped.self) }
        #expect(skipped.count == 3 * 4 && skipped.allSatisfy { $0.reason == "strategy_invalid" }, "each clone's four 15-minute runs of the hour: \(skipped.count)")
    }

    static func lines(_ ledger: Ledger) throws -> [String] {
        try ledger.log.read().filter { !$0.type.hasPrefix("market.") && !$0.type.hasPrefix("hyperliquid.") }.map { record in
            var writer = CanonicalJSONWriter()
            RecordCodec.encode(record, into: &writer)
            return String(decoding: writer.bytes, as: UTF8.self)
        }
    }

    @Test("a season: auditions, two slots and a queue, races every 6 hours with tickets, each settled with every wei accounted for")
    func season() throws {
        let ledger = try Self.ledger()
        let scheduler = Self.scheduler(ledger)
        try Self.drive(scheduler, until: Self.origin + 18 * 3_600_000)
        #expect(scheduler.arena.racers == ["c-1", "c-2"] && scheduler.arena.queue.map(\.cloneId) == ["c-3"], "FIFO, ties by lower id")
        let settled = try ledger.log.read().filter { $0.type == RaceSettled.type }.map { try EventCatalog.decode($0, as: RaceSettled.self) }
        #expect(settled.map(\.raceId) == ["r-1", "r-2"])
        for settlement in settled {
            #expect(settlement.payouts.reduce(UInt128(0)) { $0 + $1.amountWei.value } == settlement.poolWei.value)
            #expect(settlement.poolWei.value == 10 * 10_000_000_000_000_000, "1 + 2 + 3 + 4 tickets")
            // The settlement names the last event it depends on: race.ended, in the log at that sequence.
            let ended = try #require(try ledger.log.read(from: UInt64(settlement.dependsOnSequence), limit: 1).first)
            #expect(ended.type == RaceEnded.type && !settlement.dependsOnChain.isEmpty)
        }
        // The race's accounts were marked at its end; the ranking is their return, then drawdown.
        let ended = try EventCatalog.decode(try #require(try ledger.log.read().first { $0.type == RaceEnded.type }), as: RaceEnded.self)
        for result in ended.results {
            let mark = try ledger.log.read(stream: "account.\(result.cloneId).r-1").last { $0.type == AccountMarked.type }
            let marked = try EventCatalog.decode(try #require(mark), as: AccountMarked.self)
            #expect(mark?.timestampMs == Self.origin + 12 * 3_600_000 && marked.equityE6 == result.finalEquityE6 && marked.returnBp == result.returnBp)
        }
        try ledger.query("arena") { db in
            let phases = try String.fetchAll(db, sql: "SELECT phase FROM race ORDER BY number")
            let decided = try Int.fetchOne(db, sql: "SELECT count(*) FROM ticket WHERE status IN ('won', 'lost')")
            let races = try Int.fetchOne(db, sql: "SELECT sum(races) FROM career")
            #expect(phases == ["settled", "settled", "running", "accumulating"] && decided == 20 && races == 4)
        }
        try ledger.verifyReplay()
    }

    @Test("a race traded hour by hour as it runs logs its fills while it runs, and makes exactly the events of the same race traded whole at its end")
    func raceTradedAsItRuns() throws {
        // Hour by hour: while r-1 runs (origin + 6 h to + 12 h), its racers' fills are logged.
        let sliced = try Self.ledger()
        try Self.drive(Self.scheduler(sliced), until: Self.origin + 9 * 3_600_000)
        let midRace = try sliced.log.read().filter { $0.type == Fill.type && $0.stream.hasSuffix(".r-1") }
        #expect(!midRace.isEmpty && midRace.allSatisfy { $0.timestampMs < Self.origin + 9 * 3_600_000 }, "fills logged as the race runs")
        try Self.drive(Self.scheduler(sliced), from: Self.origin + 10 * 3_600_000, until: Self.origin + 13 * 3_600_000)
        // Whole: the scheduler looks only at the race's start, then at its end.
        let whole = try Self.ledger()
        let scheduler = Self.scheduler(whole)
        try Self.drive(scheduler, until: Self.origin + 6 * 3_600_000)
        try scheduler.advance(to: Self.origin + 13 * 3_600_000)
        func raceEvents(_ ledger: Ledger) throws -> [String] {
            try Self.lines(ledger).filter { $0.contains(".r-1\"") || $0.contains("\"stream\":\"race.r-1\"") }
                .map { $0.replacingOccurrences(of: #""seq":\d+,"#, with: "", options: .regularExpression) }
        }
        let slicedEvents = try raceEvents(sliced), wholeEvents = try raceEvents(whole)
        #expect(slicedEvents.count > 100 && slicedEvents.sorted() == wholeEvents.sorted(), "the same events, whatever the pace")
    }

    @Test("a restart in the middle of a season continues exactly where the log says: the same events, byte for byte")
    func restart() throws {
        let whole = try Self.ledger()
        try Self.drive(Self.scheduler(whole), until: Self.origin + 18 * 3_600_000)
        let halves = try Self.ledger()
        let middle = Self.origin + 9 * 3_600_000
        try Self.drive(Self.scheduler(halves), until: middle)
        // A new process: a scheduler of its own, folding the log from the start.
        try Self.drive(Self.scheduler(halves), from: middle + 3_600_000, until: Self.origin + 18 * 3_600_000)
        #expect(try Self.lines(whole) == Self.lines(halves))
        #expect(try whole.head.chain == halves.head.chain)
    }

    @Test("retirement and strategy changes: refused while the clone races, by the scheduler and through the ledger; by rule, a last place leaves the accumulating race (tickets refunded) and frees its slot for the queue's head")
    func retirement() throws {
        let ledger = try Self.ledger()
        var settings = ArenaScheduler.Settings(originMs: Self.origin)
        settings.slotCount = 2
        settings.storePackets = false
        settings.lastPlacesToRetire = 1
        let scheduler = ArenaScheduler(log: ledger.log, artifacts: ledger.artifacts, settings: settings) { id in RulesEngine(seed: UInt64(id.count)) }
        try Self.drive(scheduler, until: Self.origin + 7 * 3_600_000)
        // r-1 runs with c-1 and c-2; r-2 accumulates with them and has tickets; c-3 waits.
        let owner1 = "0x" + String(repeating: "a", count: 39) + "1"
        #expect { try scheduler.retire("c-1", reason: "owner", policy: 0, owner: owner1, at: Self.origin + 7 * 3_600_000) } throws: {
            ($0 as? DomainError)?.code == "clone.racing"
        }
        // The ledger's own commands know the race from the arena's read model: its owner can
        // neither change the strategy of c-1 nor retire it while r-1 runs; c-3, racing in none, can.
        var graph = try ledger.strategy(of: "c-1")
        graph.blocks[graph.blocks.firstIndex { $0.kind == "trading_prompt" }!].prompt = "another prompt"
        #expect { try ledger.changeStrategy("c-1", owner: owner1, graph: graph) } throws: { ($0 as? DomainError)?.code == "clone.racing" }
        #expect { try ledger.retireClone("c-1", owner: owner1) } throws: { ($0 as? DomainError)?.code == "clone.racing" }
        #expect(try ledger.queries.runningRace(of: "c-3") == nil && ledger.queries.runningRace(of: "c-1") == "r-1")
        let r2 = try #require(scheduler.accumulatingRace)
        try Self.drive(scheduler, from: Self.origin + 8 * 3_600_000, until: Self.origin + 12 * 3_600_000)
        // r-1 ended; its last place retired by rule, left r-2 before its start, its tickets refunded; c-3 took the slot.
        let ended = try EventCatalog.decode(try #require(try ledger.log.read().first { $0.type == RaceEnded.type }), as: RaceEnded.self)
        let last = try #require(ended.results.last?.cloneId)
        let retired = try EventCatalog.decode(try #require(try ledger.log.read(stream: "clone.\(last)").last), as: CloneRetired.self)
        #expect(retired.reason == "last_places" && retired.retirementPolicy == 1)
        let race = try #require(scheduler.races[r2.raceId])
        #expect(race.withdrawn == [last] && race.phase == .running && !race.lineup.contains(last), "\(race.withdrawn) \(race.phase) \(race.lineup) last \(last) results \(ended.results.map { ($0.cloneId, $0.rank, $0.finalEquityE6) })")
        #expect(race.refunded.count == r2.tickets.filter { $0.cloneId == last }.count && race.refunded.count > 0)
        #expect(scheduler.arena.racers.contains("c-3") && !scheduler.arena.racers.contains(last))
    }
}
