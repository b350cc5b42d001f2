import ClashCore
import Domain
import EventSchemas
import Testing

@Suite("settlement policy v1", .timeLimit(.minutes(5)))
struct SettlementTests {
    static let price = Wei(10_000_000_000_000_000)  // 0.01 ETH

    static func racers(_ ranks: [Int]) -> [Settlement.Racer] {
        ranks.enumerated().map { Settlement.Racer(cloneId: "c-\($0.offset + 1)", creator: "0xcreator\($0.offset + 1)", rank: $0.element) }
    }

    static func tickets(_ spec: [(holder: String, clone: Int, count: Int)]) -> [Settlement.Ticket] {
        spec.flatMap { entry in (0..<entry.count).map { _ in Settlement.Ticket(holder: entry.holder, cloneId: "c-\(entry.clone)") } }
    }

    func amount(_ outcome: Settlement.Outcome, _ kind: String, _ recipient: String? = nil, clone: String? = nil) -> UInt128 {
        outcome.lines.filter { $0.kind == kind && (recipient == nil || $0.recipient == recipient) && (clone == nil || $0.cloneId == clone) }
            .reduce(0) { $0 + $1.amountWei.value }
    }

    @Test("seven tickets, worked by hand: rake and creators 5% each, the winner's holders pro rata, the floors' wei to the protocol")
    func workedExample() throws {
        // P = 7 × 10^16 = 70,000,000,000,000,000 wei. Rake = creator pool = 3,500,000,000,000,000.
        // Holder pool = 63,000,000,000,000,000. c-1 wins with 3 tickets: 2 (0xa…) and 1 (0xb…).
        let outcome = try Settlement.settle(ticketPriceWei: Self.price, racers: Self.racers([1, 2]),
                                            tickets: Self.tickets([("0xa", 1, 2), ("0xb", 1, 1), ("0xc", 2, 4)]))
        #expect(outcome.poolWei.value == 70_000_000_000_000_000)
        #expect(outcome.rakeWei.value == 3_500_000_000_000_000 && outcome.creatorPoolWei.value == 3_500_000_000_000_000)
        #expect(outcome.holderPoolWei.value == 63_000_000_000_000_000)
        // Creators: 3.5e15 × 3/7 = 1,500,000,000,000,000; × 4/7 = 2,000,000,000,000,000.
        #expect(amount(outcome, "creator", "0xcreator1") == 1_500_000_000_000_000)
        #expect(amount(outcome, "creator", "0xcreator2") == 2_000_000_000_000_000)
        // Holders: 6.3e16 × 2/3 = 42,000,000,000,000,000; × 1/3 = 21,000,000,000,000,000.
        #expect(amount(outcome, "holder", "0xa") == 42_000_000_000_000_000 && amount(outcome, "holder", "0xb") == 21_000_000_000_000_000)
        #expect(amount(outcome, "holder", "0xc") == 0 && outcome.breakageWei.value == 0)
    }

    @Test("the holder pool is what the rake's and creators' floors leave; uneven shares leave breakage to the protocol")
    func breakage() throws {
        let price = Wei(1_000_000_000_000_000_001)
        let outcome = try Settlement.settle(ticketPriceWei: price, racers: Self.racers([1]),
                                            tickets: Self.tickets([("0xa", 1, 1), ("0xb", 1, 1), ("0xc", 1, 1)]))
        // P = 3,000,000,000,000,000,003: rake and creator pool each floor(P × 5%) =
        // 150,000,000,000,000,000; the holder pool takes the rest, 2,700,000,000,000,000,003, a third
        // (900,000,000,000,000,001) to each holder: nothing is left over.
        #expect(outcome.holderPoolWei.value == 2_700_000_000_000_000_003)
        #expect(amount(outcome, "holder", "0xa") == 900_000_000_000_000_001 && outcome.breakageWei.value == 0)
        let uneven = try Settlement.settle(ticketPriceWei: Wei(10), racers: Self.racers([1]), tickets: Self.tickets([("0xa", 1, 1), ("0xb", 1, 2)]))
        // P = 30: rake 1, creators 1, holders 28: 0xa floor(28 × 1/3) = 9, 0xb floor(28 × 2/3) = 18; breakage 1.
        #expect(amount(uneven, "holder", "0xa") == 9 && amount(uneven, "holder", "0xb") == 18 && uneven.breakageWei.value == 1)
        #expect(uneven.lines.last?.kind == "breakage" && uneven.lines.last?.recipient == Settlement.protocolRecipient)
    }

    @Test("a dead heat splits the holder pool equally among the tied clones with tickets, then pro rata within each")
    func deadHeat() throws {
        let outcome = try Settlement.settle(ticketPriceWei: Wei(100), racers: Self.racers([1, 1, 3]),
                                            tickets: Self.tickets([("0xa", 1, 1), ("0xb", 2, 3), ("0xc", 3, 6)]))
        // P = 1,000: rake 50, creators 50, holders 900: 450 to c-1's one ticket, 450 to c-2's three.
        #expect(outcome.paidClones == ["c-1", "c-2"])
        #expect(amount(outcome, "holder", "0xa") == 450 && amount(outcome, "holder", "0xb") == 450 && amount(outcome, "holder", "0xc") == 0)
        // A tie where one clone has no ticket: the other takes the whole holder pool.
        let oneBacked = try Settlement.settle(ticketPriceWei: Wei(100), racers: Self.racers([1, 1]), tickets: Self.tickets([("0xa", 2, 2)]))
        #expect(oneBacked.paidClones == ["c-2"] && amount(oneBacked, "holder", "0xa") == 180)
    }

    @Test("no ticket on the winner: the holder pool goes to the best-ranked clone that has tickets; no tickets at all: nothing to pay")
    func noTicketOnWinner() throws {
        let outcome = try Settlement.settle(ticketPriceWei: Wei(100), racers: Self.racers([1, 2, 3]),
                                            tickets: Self.tickets([("0xa", 3, 1), ("0xb", 2, 1)]))
        #expect(outcome.paidClones == ["c-2"] && amount(outcome, "holder", "0xb") == 180)
        let empty = try Settlement.settle(ticketPriceWei: Self.price, racers: Self.racers([1, 2]), tickets: [])
        #expect(empty.poolWei.value == 0 && empty.lines.allSatisfy { $0.amountWei.value == 0 } && empty.paidClones.isEmpty)
    }

    @Test("property: random pools, many holders, ties — every line is its formula and the invariant holds to the wei")
    func randomPools() throws {
        var random = SplitMix64(seed: 2026)
        for _ in 0..<400 {
            let racerCount = Int(random.next() % 10) + 1
            let ranks = (0..<racerCount).map { _ in Int(random.next() % UInt64(racerCount)) + 1 }
            let racers = Self.racers(ranks)
            let holders = (0..<Int(random.next() % 60) + 1).map { "0x\(String($0, radix: 16))" }
            var tickets: [Settlement.Ticket] = []
            for _ in 0..<Int(random.next() % 300) {
                tickets.append(.init(holder: holders[Int(random.next() % UInt64(holders.count))], cloneId: "c-\(Int(random.next() % UInt64(racerCount)) + 1)"))
            }
            let price = Wei(UInt128(random.next() % 1_000_000_000_000_000_000) + 1)
            let outcome = try Settlement.settle(ticketPriceWei: price, racers: racers, tickets: tickets)
            let total = UInt128(tickets.count)
            let pool = total * price.value
            #expect(outcome.poolWei.value == pool && outcome.rakeWei.value == pool * 500 / 10_000)
            #expect(outcome.lines.reduce(UInt128(0)) { $0 + $1.amountWei.value } == pool, "rake + creators + holders + breakage = P")
            var perClone: [String: UInt128] = [:]
            for ticket in tickets { perClone[ticket.cloneId, default: 0] += 1 }
            for line in outcome.lines where line.kind == "creator" {
                #expect(line.amountWei.value == outcome.creatorPoolWei.value * perClone[line.cloneId!]! / total)
            }
            let backed = racers.filter { perClone[$0.cloneId] != nil }
            let best = backed.map(\.rank).min()
            let winners = backed.filter { $0.rank == best }.map(\.cloneId)
            #expect(outcome.paidClones == winners)
            let share = winners.isEmpty ? 0 : outcome.holderPoolWei.value / UInt128(winners.count)
            var floors = 0
            for line in outcome.lines where line.kind == "holder" {
                let held = UInt128(tickets.filter { $0.cloneId == line.cloneId && $0.holder == line.recipient }.count)
                #expect(winners.contains(line.cloneId!) && line.amountWei.value == share * held / perClone[line.cloneId!]!)
                floors += 1
            }
            floors += outcome.lines.filter { $0.kind == "creator" }.count + winners.count
            #expect(outcome.breakageWei.value <= UInt128(floors), "each floor leaves less than a wei")
        }
    }
}
