import Canonical
import ClashCore

/// A race opened for ticket sales with its line-up fixed (stream race.<id>).
public struct RaceOpened: CatalogEvent {
    public static let type = "race.opened"
    public static let version = 1
    public static let summary = "A race opened: ticket sales begin, the line-up is fixed (stream race.<id>)."

    public var raceId: String
    /// The arena clones racing, in slot order.
    public var cloneIds: [String]
    public var ticketPriceWei: Wei
    /// Paper equity every racer starts with, USD × 10^6.
    public var startingEquityE6: Int64
    public var durationMs: Int64
    /// Version of the settlement policy the race will be settled under.
    public var settlementPolicy: Int

    public init(raceId: String, cloneIds: [String], ticketPriceWei: Wei, startingEquityE6: Int64, durationMs: Int64, settlementPolicy: Int) {
        self.raceId = raceId
        self.cloneIds = cloneIds
        self.ticketPriceWei = ticketPriceWei
        self.startingEquityE6 = startingEquityE6
        self.durationMs = durationMs
        self.settlementPolicy = settlementPolicy
    }

    enum CodingKeys: String, CodingKey {
        case raceId = "race_id", cloneIds = "clone_ids", ticketPriceWei = "ticket_price_wei"
        case startingEquityE6 = "starting_equity_e6", durationMs = "duration_ms", settlementPolicy = "settlement_policy"
    }
}

/// Ticket sales closed and the race began.
public struct RaceStarted: CatalogEvent {
    public static let type = "race.started"
    public static let version = 1
    public static let summary = "A race started: ticket sales closed, trading began (stream race.<id>)."

    public var raceId: String
    public var ticketsSold: Int64
    public var poolWei: Wei

    public init(raceId: String, ticketsSold: Int64, poolWei: Wei) {
        self.raceId = raceId
        self.ticketsSold = ticketsSold
        self.poolWei = poolWei
    }

    enum CodingKeys: String, CodingKey {
        case raceId = "race_id", ticketsSold = "tickets_sold", poolWei = "pool_wei"
    }
}

/// One racer's figures at the end of a race.
public struct RacerResult: Codable, Sendable, Equatable {
    public var cloneId: String
    /// 1 for the winner; racers in a dead heat share a rank.
    public var rank: Int
    /// Marked equity at the end, USD × 10^6 (fees and funding included).
    public var finalEquityE6: Int64
    /// Return on starting equity in basis points.
    public var returnBp: Int64
    /// Maximum drawdown in basis points.
    public var maxDrawdownBp: Int64
    /// Maximum drawdown exactly, USD × 10^6 fallen from a peak over the hourly marks: what ranking
    /// policy v2 compares. Absent under ranking policy v1, which did not record it.
    public var maxDrawdownE6: Int64?
    /// Tickets bought on this clone.
    public var tickets: Int64

    public init(cloneId: String, rank: Int, finalEquityE6: Int64, returnBp: Int64, maxDrawdownBp: Int64, maxDrawdownE6: Int64?, tickets: Int64) {
        self.cloneId = cloneId
        self.rank = rank
        self.finalEquityE6 = finalEquityE6
        self.returnBp = returnBp
        self.maxDrawdownBp = maxDrawdownBp
        self.maxDrawdownE6 = maxDrawdownE6
        self.tickets = tickets
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id", rank, finalEquityE6 = "final_equity_e6", returnBp = "return_bp"
        case maxDrawdownBp = "max_drawdown_bp", maxDrawdownE6 = "max_drawdown_e6", tickets
    }
}

/// The race's trading ended; the ranking is final.
public struct RaceEnded: CatalogEvent {
    public static let type = "race.ended"
    public static let version = 2
    public static let summary = "A race ended with its final ranking and the ranking policy that made it (stream race.<id>)."

    public var raceId: String
    /// The ranking policy's version (v2: exact final equity, then exact drawdown).
    public var rankingPolicy: Int
    public var results: [RacerResult]

    public init(raceId: String, rankingPolicy: Int, results: [RacerResult]) {
        self.raceId = raceId
        self.rankingPolicy = rankingPolicy
        self.results = results
    }

    enum CodingKeys: String, CodingKey {
        case raceId = "race_id", rankingPolicy = "ranking_policy", results
    }
}

/// Version 1 (read through its upcaster, never written any more): a ranking by whole basis points,
/// which did not say so.
public struct RaceEndedV1: CatalogEvent {
    public static let type = "race.ended"
    public static let version = 1
    public static let summary = "A race ended with its final ranking (stream race.<id>)."

    public var raceId: String
    public var results: [RacerResult]

    enum CodingKeys: String, CodingKey {
        case raceId = "race_id", results
    }

    /// v1 → v2: every v1 ranking was made under ranking policy v1.
    @Sendable static func upcast(_ payload: JSONValue) throws -> JSONValue {
        try RankingPolicyUpcast.addingPolicyOne(payload)
    }
}

/// The upcast both race events share: an event from before ranking policies were recorded was
/// ranked under policy v1.
enum RankingPolicyUpcast {
    static func addingPolicyOne(_ payload: JSONValue) throws -> JSONValue {
        guard case .object(let members) = payload else { throw CatalogUpcastError.missingField("race_id") }
        guard !members.contains(where: { $0.key == "ranking_policy" }) else { return payload }
        return .object((members + [("ranking_policy", .integer("1"))]).sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) })
    }
}

/// The race was cancelled: every ticket is refunded in full, no rake.
public struct RaceCancelled: CatalogEvent {
    public static let type = "race.cancelled"
    public static let version = 1
    public static let summary = "A race was cancelled; every ticket is refunded in full (stream race.<id>)."

    public var raceId: String
    /// A stable reason code, e.g. `no_racer_left`, `operator`.
    public var reason: String

    public init(raceId: String, reason: String) {
        self.raceId = raceId
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case raceId = "race_id", reason
    }
}

/// One line of a settlement: who is paid what, and why.
public struct PayoutLine: Codable, Sendable, Equatable {
    /// `rake`, `creator`, `holder` or `breakage`.
    public var kind: String
    /// The address paid (the protocol's for rake and breakage).
    public var recipient: String
    /// The clone the line is for (creator and holder lines).
    public var cloneId: String?
    /// Tickets the line is pro rata to (creator and holder lines).
    public var tickets: Int64?
    public var amountWei: Wei

    public init(kind: String, recipient: String, cloneId: String?, tickets: Int64?, amountWei: Wei) {
        self.kind = kind
        self.recipient = recipient
        self.cloneId = cloneId
        self.tickets = tickets
        self.amountWei = amountWei
    }

    enum CodingKeys: String, CodingKey {
        case kind, recipient, cloneId = "clone_id", tickets, amountWei = "amount_wei"
    }
}

/// The race's pool was split under a settlement policy; every wei is accounted for:
/// rake + creator payouts + holder payouts + breakage = pool.
public struct RaceSettled: CatalogEvent {
    public static let type = "race.settled"
    public static let version = 3
    public static let summary = "A race was settled: every payout line and the breakage, the ranking and its policy, recomputable from the log, with the Merkle tree head of the log it depends on (stream race.<id>)."

    public var raceId: String
    public var settlementPolicy: Int
    /// The ranking policy `results` were ranked under (the race's `race.ended` names the same).
    public var rankingPolicy: Int
    public var poolWei: Wei
    public var rakeWei: Wei
    public var creatorPoolWei: Wei
    public var holderPoolWei: Wei
    public var breakageWei: Wei
    public var results: [RacerResult]
    public var payouts: [PayoutLine]
    /// Sequence and chain hash of the last log event the settlement depends on.
    public var dependsOnSequence: Int64
    public var dependsOnChain: String
    /// The Merkle tree head (RFC 9162) of the log through that event: its size (the sequence) and
    /// root. Nil only for a version 1 settlement, which did not record it.
    public var dependsOnTreeSize: Int64
    public var dependsOnTreeRoot: String?

    public init(raceId: String, settlementPolicy: Int, rankingPolicy: Int, poolWei: Wei, rakeWei: Wei, creatorPoolWei: Wei, holderPoolWei: Wei,
                breakageWei: Wei, results: [RacerResult], payouts: [PayoutLine], dependsOnSequence: Int64, dependsOnChain: String,
                dependsOnTreeRoot: String?) {
        self.raceId = raceId
        self.settlementPolicy = settlementPolicy
        self.rankingPolicy = rankingPolicy
        self.poolWei = poolWei
        self.rakeWei = rakeWei
        self.creatorPoolWei = creatorPoolWei
        self.holderPoolWei = holderPoolWei
        self.breakageWei = breakageWei
        self.results = results
        self.payouts = payouts
        self.dependsOnSequence = dependsOnSequence
        self.dependsOnChain = dependsOnChain
        self.dependsOnTreeSize = dependsOnSequence
        self.dependsOnTreeRoot = dependsOnTreeRoot
    }

    enum CodingKeys: String, CodingKey {
        case raceId = "race_id", settlementPolicy = "settlement_policy", rankingPolicy = "ranking_policy", poolWei = "pool_wei", rakeWei = "rake_wei"
        case creatorPoolWei = "creator_pool_wei", holderPoolWei = "holder_pool_wei", breakageWei = "breakage_wei"
        case results, payouts, dependsOnSequence = "depends_on_sequence", dependsOnChain = "depends_on_chain"
        case dependsOnTreeSize = "depends_on_tree_size", dependsOnTreeRoot = "depends_on_tree_root"
    }
}

/// Version 2 (read through its upcaster, never written any more): a settlement that did not name its ranking policy.
public struct RaceSettledV2: CatalogEvent {
    public static let type = "race.settled"
    public static let version = 2
    public static let summary = "A race was settled: every payout line and the breakage, recomputable from the log, with the Merkle tree head of the log it depends on (stream race.<id>)."

    public var raceId: String
    public var settlementPolicy: Int
    public var poolWei: Wei
    public var rakeWei: Wei
    public var creatorPoolWei: Wei
    public var holderPoolWei: Wei
    public var breakageWei: Wei
    public var results: [RacerResult]
    public var payouts: [PayoutLine]
    /// Sequence and chain hash of the last log event the settlement depends on.
    public var dependsOnSequence: Int64
    public var dependsOnChain: String
    /// The Merkle tree head (RFC 9162) of the log through that event: its size (the sequence) and
    /// root. Nil only for a version 1 settlement, which did not record it.
    public var dependsOnTreeSize: Int64
    public var dependsOnTreeRoot: String?

    enum CodingKeys: String, CodingKey {
        case raceId = "race_id", settlementPolicy = "settlement_policy", poolWei = "pool_wei", rakeWei = "rake_wei"
        case creatorPoolWei = "creator_pool_wei", holderPoolWei = "holder_pool_wei", breakageWei = "breakage_wei"
        case results, payouts, dependsOnSequence = "depends_on_sequence", dependsOnChain = "depends_on_chain"
        case dependsOnTreeSize = "depends_on_tree_size", dependsOnTreeRoot = "depends_on_tree_root"
    }

    /// v2 → v3: every v2 settlement was ranked under ranking policy v1.
    @Sendable static func upcast(_ payload: JSONValue) throws -> JSONValue {
        try RankingPolicyUpcast.addingPolicyOne(payload)
    }
}

/// Version 1 (read through its upcaster, never written any more): a settlement without the tree head.
public struct RaceSettledV1: CatalogEvent {
    public static let type = "race.settled"
    public static let version = 1
    public static let summary = "A race was settled: every payout line and the breakage, recomputable from the log (stream race.<id>)."

    public var raceId: String
    public var settlementPolicy: Int
    public var poolWei: Wei
    public var rakeWei: Wei
    public var creatorPoolWei: Wei
    public var holderPoolWei: Wei
    public var breakageWei: Wei
    public var results: [RacerResult]
    public var payouts: [PayoutLine]
    public var dependsOnSequence: Int64
    public var dependsOnChain: String

    enum CodingKeys: String, CodingKey {
        case raceId = "race_id", settlementPolicy = "settlement_policy", poolWei = "pool_wei", rakeWei = "rake_wei"
        case creatorPoolWei = "creator_pool_wei", holderPoolWei = "holder_pool_wei", breakageWei = "breakage_wei"
        case results, payouts, dependsOnSequence = "depends_on_sequence", dependsOnChain = "depends_on_chain"
    }

    /// v1 → v2: the tree size is the sequence depended on; the root was not recorded (absent).
    @Sendable static func upcast(_ payload: JSONValue) throws -> JSONValue {
        guard case .object(let members) = payload, case .integer(let sequence)? = payload["depends_on_sequence"] else {
            throw CatalogUpcastError.missingField("depends_on_sequence")
        }
        return .object((members + [("depends_on_tree_size", .integer(sequence))])
            .sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) })
    }
}

/// A ticket was refunded in full (its race was cancelled).
public struct TicketRefunded: CatalogEvent {
    public static let type = "ticket.refunded"
    public static let version = 1
    public static let summary = "A ticket was refunded in full because its race was cancelled (stream race.<id>)."

    public var ticketId: String
    public var raceId: String
    public var holder: Address
    public var amountWei: Wei

    public init(ticketId: String, raceId: String, holder: Address, amountWei: Wei) {
        self.ticketId = ticketId
        self.raceId = raceId
        self.holder = holder
        self.amountWei = amountWei
    }

    enum CodingKeys: String, CodingKey {
        case ticketId = "ticket_id", raceId = "race_id", holder, amountWei = "amount_wei"
    }
}
