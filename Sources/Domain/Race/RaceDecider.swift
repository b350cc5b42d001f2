import ClashCore
import EventSchemas

/// A race as its stream (`race.<id>`) leaves it.
public struct RaceState: Sendable, Equatable {
    public enum Phase: String, Sendable {
        case none, accumulating, running, ended, settled, cancelled
    }

    public var raceId: String
    public var phase: Phase = .none
    /// Events in the stream: the version an append expects.
    public var version: UInt64 = 0
    /// The racers, in slot order (a withdrawn racer leaves it).
    public var lineup: [String] = []
    public var withdrawn: [String] = []
    public var ticketPriceWei = Wei(0)
    public var startingEquityE6: Int64 = 0
    public var durationMs: Int64 = 0
    public var settlementPolicy = 0
    /// Every ticket bought, in the order bought (refunded ones too: see `tickets`).
    public var bought: [TicketBought] = []
    /// The tickets refunded.
    public var refunded: Set<String> = []
    /// Tickets bought over the race's life (refunded ones included): numbers the next ticket.
    public var ticketsBought = 0
    public var results: [RacerResult] = []
    /// The ranking policy the race ended under (its settlement records it).
    public var rankingPolicy = RankingPolicy.version
    public var openedMs: Int64?

    public init(raceId: String) { self.raceId = raceId }

    /// The tickets that stand: bought and not refunded, in the order bought.
    public var tickets: [TicketBought] { refunded.isEmpty ? bought : bought.filter { !refunded.contains($0.ticketId) } }

    public var poolWei: Wei { Wei(UInt128(tickets.count) * ticketPriceWei.value) }
}

/// What can be asked of a race.
public enum RaceCommand: Sendable {
    case open(lineup: [String], ticketPriceWei: Wei, startingEquityE6: Int64, durationMs: Int64)
    /// `count` tickets on `cloneId` for `holder`.
    case buy(cloneId: String, holder: Address, count: Int)
    /// A racer leaves the line-up before the start (retired); its tickets are refunded.
    case withdraw(cloneId: String, reason: String)
    case start
    /// Each racer's figures at the end; the decider ranks them under `rankingPolicy`
    /// (`RankingPolicy.version` for a race ending now; an audit passes the version logged).
    case end(standings: [RaceDecider.Standing], rankingPolicy: Int)
    /// Settles under policy v1; `creators` by clone; the last event the settlement depends on, with
    /// the chain value after it and the Merkle tree root of the log through it.
    case settle(creators: [String: String], dependsOnSequence: Int64, dependsOnChain: String, dependsOnTreeRoot: String)
    case cancel(reason: String)
}

/// The race's rules as plain functions: `decide(command, state) -> [event]`,
/// `evolve(state, event) -> state`.
public enum RaceDecider {
    public static func stream(_ raceId: String) -> String { Streams.race(raceId) }

    /// The most tickets one purchase may buy.
    public static let ticketsPerPurchaseMax = 10_000

    /// A racer's figures at the race end.
    public struct Standing: Sendable, Equatable {
        public var cloneId: String
        public var finalEquityE6: Int64
        /// Return and drawdown in whole basis points: shown, and what ranking policy v1 compared.
        public var returnBp: Int64
        public var maxDrawdownBp: Int64
        /// The deepest fall from a peak over the hourly marks, USD × 10^6: what policy v2 compares.
        public var maxDrawdownE6: Int64

        public init(cloneId: String, finalEquityE6: Int64, returnBp: Int64, maxDrawdownBp: Int64, maxDrawdownE6: Int64) {
            self.cloneId = cloneId
            self.finalEquityE6 = finalEquityE6
            self.returnBp = returnBp
            self.maxDrawdownBp = maxDrawdownBp
            self.maxDrawdownE6 = maxDrawdownE6
        }
    }

    public static func decide(_ command: RaceCommand, _ state: RaceState) throws(DomainError) -> [any CatalogEvent] {
        let id = state.raceId
        switch command {
        case let .open(lineup, price, equity, duration):
            guard state.phase == .none else { throw DomainError("race.exists", "race \(id) was already opened") }
            guard !lineup.isEmpty, Set(lineup).count == lineup.count else {
                throw DomainError("race.lineup", "a race needs at least one racer, each once")
            }
            guard equity > 0, duration > 0 else { throw DomainError("race.settings", "starting equity and duration must be above 0") }
            return [RaceOpened(raceId: id, cloneIds: lineup, ticketPriceWei: price, startingEquityE6: equity, durationMs: duration,
                               settlementPolicy: Settlement.policyVersion)]
        case let .buy(cloneId, holder, count):
            try requireKnown(state)
            guard state.phase == .accumulating else {
                throw DomainError("race.not_accumulating", "race \(id) is \(state.phase.rawValue): tickets are sold only while a race accumulates; `clash races list` shows the accumulating race")
            }
            guard state.lineup.contains(cloneId) else {
                throw DomainError("ticket.clone_not_in_lineup", "clone \(cloneId) is not in race \(id)'s line-up (\(state.lineup.joined(separator: ", ")))")
            }
            guard count >= 1, count <= ticketsPerPurchaseMax else {
                throw DomainError("ticket.count", "--count must be from 1 to \(ticketsPerPurchaseMax), not \(count)")
            }
            return (0..<count).map { index in
                TicketBought(ticketId: "\(id)-t\(state.ticketsBought + index + 1)", raceId: id, cloneId: cloneId, holder: holder,
                             priceWei: state.ticketPriceWei)
            }
        case let .withdraw(cloneId, reason):
            try requireKnown(state)
            guard state.phase == .accumulating else {
                throw DomainError("race.not_accumulating", "a racer can leave race \(id) only before it starts; it is \(state.phase.rawValue)")
            }
            guard state.lineup.contains(cloneId) else { throw DomainError("race.not_racer", "clone \(cloneId) is not in race \(id)'s line-up") }
            var events: [any CatalogEvent] = [RacerWithdrawn(raceId: id, cloneId: cloneId, reason: reason)]
            events += state.tickets.filter { $0.cloneId == cloneId }.map {
                TicketRefunded(ticketId: $0.ticketId, raceId: id, holder: $0.holder, amountWei: $0.priceWei)
            }
            return events
        case .start:
            try requireKnown(state)
            guard state.phase == .accumulating else { throw DomainError("race.not_accumulating", "race \(id) is \(state.phase.rawValue), not accumulating") }
            guard !state.lineup.isEmpty else { throw DomainError("race.no_racer", "race \(id) has no racer left; cancel it") }
            return [RaceStarted(raceId: id, ticketsSold: Int64(state.tickets.count), poolWei: state.poolWei)]
        case let .end(standings, rankingPolicy):
            try requireKnown(state)
            guard state.phase == .running else { throw DomainError("race.not_running", "race \(id) is \(state.phase.rawValue), not running") }
            guard Set(standings.map(\.cloneId)) == Set(state.lineup), standings.count == state.lineup.count else {
                throw DomainError("race.standings", "the standings must name each racer of race \(id) once")
            }
            var perClone: [String: Int64] = [:]
            for ticket in state.tickets { perClone[ticket.cloneId, default: 0] += 1 }
            return [RaceEnded(raceId: id, rankingPolicy: rankingPolicy,
                              results: try RankingPolicy.rank(standings, tickets: perClone, policy: rankingPolicy))]
        case let .settle(creators, sequence, chain, treeRoot):
            try requireKnown(state)
            guard state.phase == .ended else { throw DomainError("race.not_ended", "race \(id) is \(state.phase.rawValue); it settles once ended") }
            let racers = state.results.map { Settlement.Racer(cloneId: $0.cloneId, creator: creators[$0.cloneId] ?? "", rank: $0.rank) }
            guard racers.allSatisfy({ !$0.creator.isEmpty }) else { throw DomainError("race.creator", "every racer's creator is needed to settle") }
            let outcome: Settlement.Outcome
            do {
                outcome = try Settlement.settle(ticketPriceWei: state.ticketPriceWei, racers: racers,
                                                tickets: state.tickets.map { .init(holder: $0.holder.lowercase, cloneId: $0.cloneId) })
            } catch {
                throw DomainError("settlement.invariant", "\(error)")
            }
            return [RaceSettled(raceId: id, settlementPolicy: Settlement.policyVersion, rankingPolicy: state.rankingPolicy, poolWei: outcome.poolWei, rakeWei: outcome.rakeWei,
                                creatorPoolWei: outcome.creatorPoolWei, holderPoolWei: outcome.holderPoolWei, breakageWei: outcome.breakageWei,
                                results: state.results, payouts: outcome.lines, dependsOnSequence: sequence, dependsOnChain: chain,
                                dependsOnTreeRoot: treeRoot)]
        case let .cancel(reason):
            try requireKnown(state)
            guard [.accumulating, .running, .ended].contains(state.phase) else {
                throw DomainError("race.final", "race \(id) is \(state.phase.rawValue): it can no longer be cancelled")
            }
            // A stable code (the catalog's `race.cancelled` pattern), so a program can read why.
            let isCode = reason.utf8.first.map { $0 >= 0x61 && $0 <= 0x7A } == true
                && reason.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F } && reason.utf8.count <= 64
            guard isCode else {
                throw DomainError("race.reason", "a cancellation says why with a reason code of lowercase letters, digits and _ (e.g. operator, data_outage), not \(reason.debugDescription)")
            }
            return [RaceCancelled(raceId: id, reason: reason)] + state.tickets.map {
                TicketRefunded(ticketId: $0.ticketId, raceId: id, holder: $0.holder, amountWei: $0.priceWei)
            }
        }
    }

    public static func evolve(_ state: RaceState, _ event: any CatalogEvent) -> RaceState {
        var state = state
        apply(event, to: &state)
        return state
    }

    /// `evolve` in place: what a fold over many events uses (a race's state holds its tickets, and
    /// a copy per event would copy them all at every ticket).
    public static func apply(_ event: any CatalogEvent, to state: inout RaceState) {
        state.version += 1
        switch event {
        case let opened as RaceOpened:
            state.phase = .accumulating
            state.lineup = opened.cloneIds
            state.ticketPriceWei = opened.ticketPriceWei
            state.startingEquityE6 = opened.startingEquityE6
            state.durationMs = opened.durationMs
            state.settlementPolicy = opened.settlementPolicy
        case let ticket as TicketBought:
            state.bought.append(ticket)
            state.ticketsBought += 1
        case let withdrawn as RacerWithdrawn:
            state.lineup.removeAll { $0 == withdrawn.cloneId }
            state.withdrawn.append(withdrawn.cloneId)
        case let refund as TicketRefunded:
            state.refunded.insert(refund.ticketId)
        case is RaceStarted:
            state.phase = .running
        case let ended as RaceEnded:
            state.phase = .ended
            state.results = ended.results
            state.rankingPolicy = ended.rankingPolicy
        case is RaceSettled:
            state.phase = .settled
        case is RaceCancelled:
            state.phase = .cancelled
        default:
            state.version -= 1
        }
    }

    public static func fold(_ raceId: String, _ events: [any CatalogEvent]) -> RaceState {
        events.reduce(into: RaceState(raceId: raceId)) { apply($1, to: &$0) }
    }

    static func requireKnown(_ state: RaceState) throws(DomainError) {
        guard state.phase != .none else {
            throw DomainError("race.unknown", "no race has id \(state.raceId); `clash races list` shows the races")
        }
    }
}
