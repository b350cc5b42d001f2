import ClashCore
import Domain
import EventSchemas
import Testing

@Suite("the race and arena deciders", .timeLimit(.minutes(5)))
struct RaceDeciderTests {
    static let holder = address("0x8ba1f109551bD432803012645Ac136ddd64DBA72")

    static func address(_ text: String) -> Address { try! Address(text) }
    static let price = Wei(10_000_000_000_000_000)

    static func apply(_ command: RaceCommand, _ state: RaceState) throws -> RaceState {
        try RaceDecider.decide(command, state).reduce(state, RaceDecider.evolve)
    }

    static func opened(_ lineup: [String] = ["c-1", "c-2", "c-3"]) throws -> RaceState {
        try apply(.open(lineup: lineup, ticketPriceWei: price, startingEquityE6: 10_000_000_000, durationMs: 21_600_000), RaceState(raceId: "r-1"))
    }

    func code(_ body: () throws -> Void) -> String? {
        do { try body() } catch let error as DomainError { return error.code } catch { return "\(error)" }
        return nil
    }

    @Test("tickets: one event each, numbered, the holder stored lowercase; refused with a code, nothing decided, when the race is not accumulating, the clone not racing, the count below 1, the race unknown")
    func tickets() throws {
        var race = try Self.opened()
        let events = try RaceDecider.decide(.buy(cloneId: "c-2", holder: Self.holder, count: 3), race)
        #expect(events.count == 3)
        let tickets = events.compactMap { $0 as? TicketBought }
        #expect(tickets.map(\.ticketId) == ["r-1-t1", "r-1-t2", "r-1-t3"] && tickets.allSatisfy { $0.holder.lowercase == "0x8ba1f109551bd432803012645ac136ddd64dba72" })
        race = events.reduce(race, RaceDecider.evolve)
        #expect(race.poolWei.value == 3 * Self.price.value)
        #expect(code { _ = try RaceDecider.decide(.buy(cloneId: "c-9", holder: Self.holder, count: 1), race) } == "ticket.clone_not_in_lineup")
        #expect(code { _ = try RaceDecider.decide(.buy(cloneId: "c-1", holder: Self.holder, count: 0), race) } == "ticket.count")
        #expect(code { _ = try RaceDecider.decide(.buy(cloneId: "c-1", holder: Self.holder, count: 1), RaceState(raceId: "r-9")) } == "race.unknown")
        let running = try Self.apply(.start, race)
        #expect(running.phase == .running)
        #expect(code { _ = try RaceDecider.decide(.buy(cloneId: "c-1", holder: Self.holder, count: 1), running) } == "race.not_accumulating")
    }

    static func standing(_ id: String, _ equityE6: Int64, bp returnBp: Int64, drawdownBp: Int64, drawdownE6: Int64) -> RaceDecider.Standing {
        RaceDecider.Standing(cloneId: id, finalEquityE6: equityE6, returnBp: returnBp, maxDrawdownBp: drawdownBp, maxDrawdownE6: drawdownE6)
    }

    /// Race r-1 of `season simulate --seed 7 --clones 14 --races 5`: exact figures that round to the
    /// same basis points (c-4 made 0.596768 USDC, c-2 and c-8 never traded).
    static let roundedAlike = [
        standing("c-2", 10_000_000_000, bp: 0, drawdownBp: 0, drawdownE6: 0),
        standing("c-3", 10_000_000_001, bp: 0, drawdownBp: 1, drawdownE6: 20_000),
        standing("c-4", 10_000_596_768, bp: 0, drawdownBp: 1, drawdownE6: 412_000),
        standing("c-8", 10_000_000_000, bp: 0, drawdownBp: 0, drawdownE6: 0),
        standing("c-11", 10_000_412_000, bp: 0, drawdownBp: 1, drawdownE6: 700_000),
        standing("c-12", 10_000_412_000, bp: 0, drawdownBp: 1, drawdownE6: 1_000_000),
    ]

    @Test("ranking policy v2: exact final equity first, then exact drawdown; a dead heat only when both are equal to the unit")
    func rankingExact() throws {
        let results = try RankingPolicy.rank(Self.roundedAlike, tickets: ["c-4": 2], policy: 2)
        #expect(results.map(\.cloneId) == ["c-4", "c-11", "c-12", "c-3", "c-2", "c-8"])
        #expect(results.map(\.rank) == [1, 2, 3, 4, 5, 5])
        #expect(results.map(\.maxDrawdownE6) == [412_000, 700_000, 1_000_000, 20_000, 0, 0])
        #expect(results.map(\.tickets) == [2, 0, 0, 0, 0, 0])
    }

    @Test("ranking policy v1 (races ended before v2, as audits replay them): whole basis points, so unequal results tie")
    func rankingByBasisPoints() throws {
        let results = try RankingPolicy.rank(Self.roundedAlike, tickets: [:], policy: 1)
        #expect(results.map(\.cloneId) == ["c-2", "c-8", "c-11", "c-12", "c-3", "c-4"])
        #expect(results.map(\.rank) == [1, 1, 3, 3, 3, 3])
        #expect(results.allSatisfy { $0.maxDrawdownE6 == nil })
        let standings = [
            Self.standing("c-1", 10_100_000_000, bp: 100, drawdownBp: 50, drawdownE6: 0),
            Self.standing("c-2", 10_200_000_000, bp: 200, drawdownBp: 90, drawdownE6: 0),
            Self.standing("c-3", 10_100_000_000, bp: 100, drawdownBp: 40, drawdownE6: 0),
        ]
        #expect(try RankingPolicy.rank(standings, tickets: [:], policy: 1).map(\.rank) == [1, 2, 3])
        #expect(code { _ = try RankingPolicy.rank(standings, tickets: [:], policy: 3) } == "race.ranking_policy")
    }

    @Test("a last place (what the retirement rule counts) is the lowest rank of several, never a dead heat of every racer")
    func lastPlaces() throws {
        func last(_ ranks: [Int]) -> [Bool] {
            let results = ranks.enumerated().map { RacerResult(cloneId: "c-\($0.offset)", rank: $0.element, finalEquityE6: 0, returnBp: 0, maxDrawdownBp: 0,
                                                               maxDrawdownE6: 0, tickets: 0) }
            return results.map { RankingPolicy.isLastPlace($0, in: results) }
        }
        #expect(last([1, 2, 3]) == [false, false, true])
        #expect(last([1, 2, 2]) == [false, true, true])
        #expect(last([1, 1]) == [false, false], "two racers in a dead heat both won")
        #expect(last([1]) == [false])
    }

    @Test("a race whose best racers round alike pays the one that made most, not a dead heat; ended and settled name the ranking policy")
    func exactWinnerIsPaid() throws {
        var race = try Self.opened(Self.roundedAlike.map(\.cloneId))
        race = try Self.apply(.buy(cloneId: "c-4", holder: Self.address("0x" + String(repeating: "4", count: 40)), count: 1), race)
        race = try Self.apply(.buy(cloneId: "c-11", holder: Self.address("0x" + String(repeating: "b", count: 40)), count: 1), race)
        race = try Self.apply(.buy(cloneId: "c-2", holder: Self.address("0x" + String(repeating: "2", count: 40)), count: 1), race)
        race = try Self.apply(.start, race)
        let ended = try #require(try RaceDecider.decide(.end(standings: Self.roundedAlike, rankingPolicy: RankingPolicy.version), race).first as? RaceEnded)
        #expect(ended.rankingPolicy == 2 && ended.results.first?.cloneId == "c-4" && ended.results.first?.rank == 1)
        race = RaceDecider.evolve(race, ended)
        let creators = Dictionary(uniqueKeysWithValues: Self.roundedAlike.map { ($0.cloneId, "0x" + String(repeating: "c", count: 40)) })
        let settled = try #require(try RaceDecider.decide(.settle(creators: creators, dependsOnSequence: 9, dependsOnChain: "ab", dependsOnTreeRoot: "cd"), race).first as? RaceSettled)
        let holders = settled.payouts.filter { $0.kind == "holder" }
        #expect(settled.rankingPolicy == 2)
        #expect(holders.map(\.recipient) == ["0x" + String(repeating: "4", count: 40)] && holders.first?.amountWei == settled.holderPoolWei)
    }

    @Test("a race's life: opened, tickets, started, ended, settled with its invariant; cancelled instead, every ticket refunded")
    func lifecycle() throws {
        var race = try Self.opened()
        race = try Self.apply(.buy(cloneId: "c-1", holder: Self.holder, count: 2), race)
        race = try Self.apply(.buy(cloneId: "c-3", holder: Self.address("0x" + String(repeating: "1", count: 40)), count: 1), race)
        let accumulating = race
        race = try Self.apply(.start, race)
        #expect(code { _ = try RaceDecider.decide(.settle(creators: [:], dependsOnSequence: 1, dependsOnChain: "", dependsOnTreeRoot: ""), race) } == "race.not_ended")
        let standings = ["c-1", "c-2", "c-3"].enumerated().map {
            Self.standing($0.element, 10_000_000_000 + Int64($0.offset), bp: Int64($0.offset), drawdownBp: 0, drawdownE6: 0)
        }
        race = try Self.apply(.end(standings: standings, rankingPolicy: RankingPolicy.version), race)
        #expect(race.results.first?.cloneId == "c-3")
        let creators = ["c-1": "0xa", "c-2": "0xb", "c-3": "0xc"]
        let settled = try RaceDecider.decide(.settle(creators: creators, dependsOnSequence: 42, dependsOnChain: "ab", dependsOnTreeRoot: "cd"), race)
        let settlement = try #require(settled.first as? RaceSettled)
        #expect(settlement.poolWei.value == 3 * Self.price.value && settlement.dependsOnSequence == 42 && settlement.settlementPolicy == 1)
        #expect(settlement.dependsOnTreeSize == 42 && settlement.dependsOnTreeRoot == "cd" && settlement.dependsOnChain == "ab")
        #expect(settlement.payouts.reduce(UInt128(0)) { $0 + $1.amountWei.value } == settlement.poolWei.value)
        #expect(settlement.payouts.filter { $0.kind == "holder" }.map(\.recipient) == ["0x" + String(repeating: "1", count: 40)])
        race = settled.reduce(race, RaceDecider.evolve)
        #expect(race.phase == .settled)
        #expect(code { _ = try RaceDecider.decide(.cancel(reason: "late"), race) } == "race.final")
        // Cancelled while accumulating: every ticket refunded in full, nothing else.
        let cancelled = try RaceDecider.decide(.cancel(reason: "data_outage"), accumulating)
        #expect(cancelled.first is RaceCancelled && cancelled.dropFirst().count == 3)
        #expect(cancelled.compactMap { ($0 as? TicketRefunded)?.amountWei.value }.reduce(0, +) == accumulating.poolWei.value)
        #expect(code { _ = try RaceDecider.decide(.cancel(reason: "  "), accumulating) } == "race.reason")
        #expect(code { _ = try RaceDecider.decide(.cancel(reason: "data outage"), accumulating) } == "race.reason", "a reason is a code, as the catalog says")
    }

    @Test("a racer withdrawn before the start leaves the line-up and its tickets are refunded; the rest stand")
    func withdraw() throws {
        var race = try Self.opened()
        race = try Self.apply(.buy(cloneId: "c-1", holder: Self.holder, count: 2), race)
        race = try Self.apply(.buy(cloneId: "c-2", holder: Self.holder, count: 1), race)
        let events = try RaceDecider.decide(.withdraw(cloneId: "c-1", reason: "retired_by_rule"), race)
        #expect(events.first is RacerWithdrawn && events.dropFirst().allSatisfy { ($0 as? TicketRefunded)?.ticketId.hasPrefix("r-1-t") == true })
        race = events.reduce(race, RaceDecider.evolve)
        #expect(race.lineup == ["c-2", "c-3"] && race.tickets.count == 1 && race.poolWei.value == Self.price.value)
        #expect(try Self.apply(.buy(cloneId: "c-2", holder: Self.holder, count: 1), race).tickets.map(\.ticketId) == ["r-1-t3", "r-1-t4"])
    }

    @Test("the arena: a passing clone takes a free slot at once, else queues first in first out by pass time (ties: lower id); a freed slot goes to the queue's head")
    func arena() throws {
        var arena = ArenaState()
        func apply(_ command: ArenaCommand) throws { arena = try ArenaDecider.decide(command, arena).reduce(arena, ArenaDecider.evolve) }
        try apply(.admit(cloneId: "c-1", passedMs: 100, slotCount: 2))
        try apply(.admit(cloneId: "c-2", passedMs: 100, slotCount: 2))
        #expect(arena.racers == ["c-1", "c-2"] && arena.queue.isEmpty)
        try apply(.admit(cloneId: "c-10", passedMs: 300, slotCount: 2))
        try apply(.admit(cloneId: "c-9", passedMs: 300, slotCount: 2))
        try apply(.admit(cloneId: "c-4", passedMs: 200, slotCount: 2))
        #expect(arena.queue.map(\.cloneId) == ["c-4", "c-9", "c-10"])
        #expect(code { try apply(.admit(cloneId: "c-9", passedMs: 400, slotCount: 2)) } == "arena.already_in")
        try apply(.leave(cloneId: "c-1", reason: "retired_by_owner"))
        #expect(arena.slots == [1: "c-4", 2: "c-2"] && arena.queue.map(\.cloneId) == ["c-9", "c-10"])
        try apply(.leave(cloneId: "c-9", reason: "retired_by_owner"))
        #expect(arena.queue.map(\.cloneId) == ["c-10"])
        #expect(code { try apply(.leave(cloneId: "c-77", reason: "x")) } == "arena.not_in")
    }

    @Test("the audition policy v1: each criterion fails on its own, with its code")
    func auditionPolicy() {
        let good = AuditionPolicy.Figures(completed: true, decisions: 1_440, failedDecisions: 72, minDecisionsPerAssetHour: 12, maxDrawdownBp: 3_000,
                                          returnBp: -999)
        #expect(AuditionPolicy.failures(good).isEmpty && AuditionPolicy.verdict(cloneId: "c", auditionId: "a", good).passed)
        var figures = good
        figures.completed = false
        #expect(AuditionPolicy.failures(figures) == ["incomplete"])
        figures = good
        figures.minDecisionsPerAssetHour = 0
        #expect(AuditionPolicy.failures(figures) == ["decisions_per_asset_hour"])
        figures = good
        figures.failedDecisions = 73
        #expect(AuditionPolicy.failures(figures) == ["engine_failures"], "73 of 1,440 is above 5%")
        figures = good
        figures.maxDrawdownBp = 3_001
        #expect(AuditionPolicy.failures(figures) == ["max_drawdown"])
        figures = good
        figures.returnBp = -1_000
        #expect(AuditionPolicy.failures(figures) == ["return"], "a return of exactly −10% is not above it")
    }
}
