import ClashCore
import EventSchemas

/// Settlement policy v1, in integer wei: with pool P = tickets × price, a 5% rake to the protocol,
/// 5% to the creators pro rata to the tickets on each creator's clone, the rest to the holders of
/// the winner pro rata to their tickets; a dead heat splits the holder pool equally among the tied
/// clones that have tickets; with no ticket on the winner it goes to the best-ranked clone that has
/// tickets; every wei a floor leaves is breakage, paid to the protocol. A cancelled race refunds
/// every ticket in full. The invariant rake + creators + holders + breakage = P is checked before
/// a settlement exists.
public enum Settlement {
    public static let policyVersion = 1
    /// Basis points of the pool: the rake and the creators' share.
    public static let rakeBp: UInt128 = 500
    public static let creatorBp: UInt128 = 500
    /// Who rake and breakage are paid to: the protocol's address (the catalog's, `race.settled`).
    public static let protocolRecipient = "0x000000000000000000000000000000000000c1a5"

    /// A racer as settlement sees it: its rank (1 is best; equal ranks are a dead heat) and its creator.
    public struct Racer: Sendable, Equatable {
        public var cloneId: String
        public var creator: String
        public var rank: Int

        public init(cloneId: String, creator: String, rank: Int) {
            self.cloneId = cloneId
            self.creator = creator
            self.rank = rank
        }
    }

    /// One ticket: who holds it, on which clone.
    public struct Ticket: Sendable, Equatable {
        public var holder: String
        public var cloneId: String

        public init(holder: String, cloneId: String) {
            self.holder = holder
            self.cloneId = cloneId
        }
    }

    /// Every figure of a settlement and its payout lines (rake, creators, holders, breakage).
    public struct Outcome: Sendable, Equatable {
        public var poolWei: Wei
        public var rakeWei: Wei
        public var creatorPoolWei: Wei
        public var holderPoolWei: Wei
        public var breakageWei: Wei
        /// The clones whose holders share the holder pool (one unless a dead heat), in line-up order.
        public var paidClones: [String]
        public var lines: [PayoutLine]
    }

    /// What can stop a settlement: a figure that would break the invariant (never expected; a
    /// guard, not a rule).
    public struct InvariantBroken: Error, CustomStringConvertible {
        public var description: String
    }

    /// Settles a pool. `racers` in line-up order; tickets on clones outside it are refused by the
    /// race before they exist, and ignored here.
    public static func settle(ticketPriceWei: Wei, racers: [Racer], tickets: [Ticket]) throws -> Outcome {
        let lineup = Set(racers.map(\.cloneId))
        var perClone: [String: UInt128] = [:]
        var perHolder: [String: [String: UInt128]] = [:]
        for ticket in tickets where lineup.contains(ticket.cloneId) {
            perClone[ticket.cloneId, default: 0] += 1
            perHolder[ticket.cloneId, default: [:]][ticket.holder, default: 0] += 1
        }
        let total = perClone.values.reduce(0, +)
        let pool = total * ticketPriceWei.value
        let rake = pool * rakeBp / 10_000
        let creatorPool = pool * creatorBp / 10_000
        let holderPool = pool - rake - creatorPool
        var lines = [PayoutLine(kind: "rake", recipient: protocolRecipient, cloneId: nil, tickets: nil, amountWei: Wei(rake))]
        var paid = rake
        if total > 0 {
            for racer in racers {
                guard let count = perClone[racer.cloneId] else { continue }
                let amount = creatorPool * count / total
                lines.append(PayoutLine(kind: "creator", recipient: racer.creator, cloneId: racer.cloneId, tickets: Int64(count), amountWei: Wei(amount)))
                paid += amount
            }
        }
        // The holders: the best rank among the clones that have tickets; a dead heat splits.
        let backed = racers.filter { perClone[$0.cloneId] != nil }
        let bestRank = backed.map(\.rank).min()
        let winners = backed.filter { $0.rank == bestRank }
        if !winners.isEmpty {
            let share = holderPool / UInt128(winners.count)
            for winner in winners {
                let count = perClone[winner.cloneId]!
                for (holder, held) in perHolder[winner.cloneId]!.sorted(by: { $0.key < $1.key }) {
                    let amount = share * held / count
                    lines.append(PayoutLine(kind: "holder", recipient: holder, cloneId: winner.cloneId, tickets: Int64(held), amountWei: Wei(amount)))
                    paid += amount
                }
            }
        }
        guard paid <= pool else { throw InvariantBroken(description: "payouts of \(paid) wei exceed the pool of \(pool) wei") }
        let breakage = pool - paid
        lines.append(PayoutLine(kind: "breakage", recipient: protocolRecipient, cloneId: nil, tickets: nil, amountWei: Wei(breakage)))
        let outcome = Outcome(poolWei: Wei(pool), rakeWei: Wei(rake), creatorPoolWei: Wei(creatorPool), holderPoolWei: Wei(holderPool),
                              breakageWei: Wei(breakage), paidClones: winners.map(\.cloneId), lines: lines)
        try check(outcome)
        return outcome
    }

    /// The invariant: every line at least 0 (wei are unsigned) and rake + creators + holders +
    /// breakage = the pool; the rake line is the rake, the breakage line the breakage.
    public static func check(_ outcome: Outcome) throws {
        let sum = outcome.lines.reduce(UInt128(0)) { $0 + $1.amountWei.value }
        guard sum == outcome.poolWei.value else {
            throw InvariantBroken(description: "the lines add up to \(sum) wei, not the pool's \(outcome.poolWei.value)")
        }
        let rake = outcome.lines.filter { $0.kind == "rake" }.reduce(UInt128(0)) { $0 + $1.amountWei.value }
        let breakage = outcome.lines.filter { $0.kind == "breakage" }.reduce(UInt128(0)) { $0 + $1.amountWei.value }
        guard rake == outcome.rakeWei.value, breakage == outcome.breakageWei.value else {
            throw InvariantBroken(description: "the rake or breakage line differs from its figure")
        }
    }
}
