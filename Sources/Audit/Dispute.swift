import ClashCore
import Domain
import EventSchemas
import LedgerLog
import Transparency

/// One step of a settlement's arithmetic under policy v1: what is computed, how, from which
/// figures, and the result in wei. Every division is a floor; what it leaves is named.
public struct DerivationStep: Sendable {
    public var name: String
    public var formula: String
    public var values: [(String, String)]
    public var wei: UInt128
    /// What the step's floor drops, as a fraction of a wei ("3/7"): it ends in the breakage.
    public var floorLeft: String?

    init(name: String, formula: String, values: [(String, String)], wei: UInt128, floorOf numerator: UInt128? = nil, over denominator: UInt128 = 1) {
        self.name = name
        self.formula = formula
        self.values = values
        self.wei = wei
        floorLeft = numerator.map { "\($0 % denominator)/\(denominator)" }
    }
}

/// An event a payout depends on, with its proof of inclusion in the tree head the settlement records.
public struct DisputeInput: Sendable {
    public var sequence: UInt64
    public var id: String
    public var type: String
    public var proof: InclusionProof
}

/// A race's settlement explained: the tree head it records, each step of policy v1 recomputed from
/// the logged inputs, the payout lines, whether they are the logged ones, and every input event
/// with an inclusion proof to that tree head. Enough for a third party to check each wei with an
/// export and a few lines of code.
public struct SettlementDerivation: Sendable {
    public var raceId: String
    public var phase: String
    public var ticketPriceWei: UInt128
    /// The settlement (or cancellation) event, when there is one.
    public var settlementSequence: UInt64?
    /// The tree head recorded in the settlement (size = the last event it depends on).
    public var treeSize: UInt64
    public var treeRoot: MerkleHash
    /// Whether the log's tree of `treeSize` events has the recorded root (false: rewritten since).
    public var treeRootMatches: Bool
    public var steps: [DerivationStep]
    public var lines: [PayoutLine]
    /// Whether the recomputed lines and figures are the ones logged.
    public var agreesWithLog: Bool
    public var inputs: [DisputeInput]
    /// Tickets on each clone, and the clones whose holders share the holder pool.
    public var ticketsByClone: [(String, Int)]
    public var paidClones: [String]
    public var holderShareWei: UInt128
}

/// One ticket's payout or refund explained, within its race's derivation.
public struct TicketDerivation: Sendable {
    public var ticketId: String
    public var holder: String
    public var cloneId: String
    /// won, lost, refunded or pending.
    public var status: String
    /// The wei this ticket brings its holder: its part of the holder's line (or its refund).
    public var ticketWei: UInt128
    public var steps: [DerivationStep]
    /// The holder's payout line for the ticket's clone (tickets held there, amount).
    public var holderLine: PayoutLine?
    public var race: SettlementDerivation
}

/// Why a dispute cannot be answered: an unknown ticket or race (exit 65).
public struct DisputeError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

public enum Dispute {
    /// The derivation of race `raceId`'s settlement (or refunds), with inclusion proofs from `tree`.
    public static func race(_ raceId: String, log: any LogReading, tree: LogTree) throws -> SettlementDerivation {
        let records = try log.read(stream: RaceDecider.stream(raceId))
        guard !records.isEmpty else { throw DisputeError(description: "no race has id \(raceId) in this log; `clash races list` lists them") }
        var state = RaceState(raceId: raceId)
        var inputs: [LogRecord] = []
        var settled: (record: LogRecord, event: RaceSettled)?
        var cancelled: LogRecord?
        for record in records {
            let event = try EventCatalog.decode(record)
            switch event {
            case let settlement as RaceSettled: settled = (record, settlement)
            case is RaceCancelled: cancelled = record
            case is RaceOpened, is TicketBought, is TicketRefunded, is RacerWithdrawn, is RaceEnded: inputs.append(record)
            default: break
            }
            if settled == nil { RaceDecider.apply(event, to: &state) }
        }
        // The creators as the log names them when the race ended.
        let endSequence = settled.map { UInt64($0.event.dependsOnSequence) } ?? (cancelled?.sequence ?? records.last!.sequence)
        var creators: [String: String] = [:]
        let cloneStreams = try log.read(streams: Set(state.lineup.map(CloneDecider.stream)))
        for id in state.lineup {
            let clone = (cloneStreams[CloneDecider.stream(id)] ?? []).filter { $0.sequence <= endSequence }
            creators[id] = try CloneState.folded(id, clone).creator
            inputs += clone.filter { $0.type == CloneCreated.type }
        }
        let size = settled.map { UInt64($0.event.dependsOnTreeSize) } ?? endSequence
        try tree.catchUp(through: size)
        let root = try tree.root(size: size)
        let recordedRoot = settled?.event.dependsOnTreeRoot.flatMap(MerkleHash.init(hex:))
        var perClone: [String: Int] = [:]
        for ticket in state.tickets { perClone[ticket.cloneId, default: 0] += 1 }
        var derivation = SettlementDerivation(
            raceId: raceId, phase: settled == nil ? state.phase.rawValue : "settled", ticketPriceWei: state.ticketPriceWei.value,
            settlementSequence: settled?.record.sequence ?? cancelled?.sequence, treeSize: size, treeRoot: recordedRoot ?? root,
            treeRootMatches: recordedRoot == nil || recordedRoot == root, steps: [], lines: [], agreesWithLog: true,
            inputs: try inputs.filter { $0.sequence <= size }.sorted { $0.sequence < $1.sequence }.map {
                DisputeInput(sequence: $0.sequence, id: $0.id, type: $0.type, proof: try InclusionProof(tree: tree, sequence: $0.sequence, size: size))
            },
            ticketsByClone: state.lineup.map { ($0, perClone[$0] ?? 0) }, paidClones: [], holderShareWei: 0)
        guard let settled else { return derivation }
        let racers = state.results.map { Settlement.Racer(cloneId: $0.cloneId, creator: creators[$0.cloneId] ?? "", rank: $0.rank) }
        let outcome = try Settlement.settle(ticketPriceWei: state.ticketPriceWei, racers: racers,
                                            tickets: state.tickets.map { .init(holder: $0.holder.lowercase, cloneId: $0.cloneId) })
        derivation.lines = outcome.lines
        derivation.paidClones = outcome.paidClones
        derivation.holderShareWei = outcome.paidClones.isEmpty ? 0 : outcome.holderPoolWei.value / UInt128(outcome.paidClones.count)
        derivation.steps = steps(outcome, state: state, perClone: perClone)
        let logged = settled.event
        derivation.agreesWithLog = logged.payouts == outcome.lines && logged.poolWei == outcome.poolWei && logged.rakeWei == outcome.rakeWei
            && logged.creatorPoolWei == outcome.creatorPoolWei && logged.holderPoolWei == outcome.holderPoolWei
            && logged.breakageWei == outcome.breakageWei
        return derivation
    }

    /// Policy v1's arithmetic, step by step.
    static func steps(_ outcome: Settlement.Outcome, state: RaceState, perClone: [String: Int]) -> [DerivationStep] {
        let total = state.tickets.count
        var steps = [
            DerivationStep(name: "pool", formula: "tickets × ticket_price_wei",
                           values: [("tickets", "\(total)"), ("ticket_price_wei", "\(state.ticketPriceWei.value)")], wei: outcome.poolWei.value),
            DerivationStep(name: "rake", formula: "floor(pool × \(Settlement.rakeBp) / 10000)", values: [("pool", "\(outcome.poolWei.value)")],
                           wei: outcome.rakeWei.value, floorOf: outcome.poolWei.value * Settlement.rakeBp, over: 10_000),
            DerivationStep(name: "creator_pool", formula: "floor(pool × \(Settlement.creatorBp) / 10000)", values: [("pool", "\(outcome.poolWei.value)")],
                           wei: outcome.creatorPoolWei.value, floorOf: outcome.poolWei.value * Settlement.creatorBp, over: 10_000),
            DerivationStep(name: "holder_pool", formula: "pool − rake − creator_pool",
                           values: [("pool", "\(outcome.poolWei.value)"), ("rake", "\(outcome.rakeWei.value)"), ("creator_pool", "\(outcome.creatorPoolWei.value)")],
                           wei: outcome.holderPoolWei.value),
        ]
        for line in outcome.lines where line.kind == "creator" {
            steps.append(DerivationStep(name: "creator \(line.cloneId ?? "")", formula: "floor(creator_pool × tickets_on_clone / tickets)",
                                        values: [("creator_pool", "\(outcome.creatorPoolWei.value)"), ("tickets_on_clone", "\(line.tickets ?? 0)"),
                                                 ("tickets", "\(total)")], wei: line.amountWei.value,
                                        floorOf: outcome.creatorPoolWei.value * UInt128(line.tickets ?? 0), over: UInt128(max(total, 1))))
        }
        if !outcome.paidClones.isEmpty {
            let share = outcome.holderPoolWei.value / UInt128(outcome.paidClones.count)
            steps.append(DerivationStep(name: "holder_share", formula: "floor(holder_pool / clones_paid) (more than one clone only in a dead heat)",
                                        values: [("holder_pool", "\(outcome.holderPoolWei.value)"), ("clones_paid", outcome.paidClones.joined(separator: ","))],
                                        wei: share, floorOf: outcome.holderPoolWei.value, over: UInt128(outcome.paidClones.count)))
            for line in outcome.lines where line.kind == "holder" {
                steps.append(DerivationStep(name: "holder \(line.recipient) on \(line.cloneId ?? "")",
                                            formula: "floor(holder_share × tickets_held / tickets_on_clone)",
                                            values: [("holder_share", "\(share)"), ("tickets_held", "\(line.tickets ?? 0)"),
                                                     ("tickets_on_clone", "\(perClone[line.cloneId ?? ""] ?? 0)")], wei: line.amountWei.value,
                                            floorOf: share * UInt128(line.tickets ?? 0), over: UInt128(max(perClone[line.cloneId ?? ""] ?? 1, 1))))
            }
        }
        let paid = outcome.lines.filter { $0.kind != "breakage" }.reduce(UInt128(0)) { $0 + $1.amountWei.value }
        steps.append(DerivationStep(name: "breakage", formula: "pool − every line above (what the floors left), paid to the protocol",
                                    values: [("pool", "\(outcome.poolWei.value)"), ("lines", "\(paid)")], wei: outcome.breakageWei.value))
        return steps
    }

    /// The derivation of one ticket's payout or refund.
    public static func ticket(_ ticketId: String, log: any LogReading, tree: LogTree) throws -> TicketDerivation {
        var bought: TicketBought?
        try log.forEach(from: 1, filter: RecordFilter(type: TicketBought.type)) { record in
            guard record.payloadContains(ticketId) else { return true }
            let ticket = try EventCatalog.decode(record, as: TicketBought.self)
            if ticket.ticketId == ticketId { bought = ticket }
            return bought == nil
        }
        guard let bought else {
            throw DisputeError(description: "no ticket has id \(ticketId) in this log; `clash tickets show --holder ADDRESS` lists a holder's tickets")
        }
        var race = try Self.race(bought.raceId, log: log, tree: tree)
        var derivation = TicketDerivation(ticketId: ticketId, holder: bought.holder.lowercase, cloneId: bought.cloneId, status: "pending", ticketWei: 0,
                                          steps: [], holderLine: nil, race: race)
        let refunds = try log.read(stream: RaceDecider.stream(bought.raceId)).filter { $0.type == TicketRefunded.type }
        if let refund = try refunds.lazy.map({ try EventCatalog.decode($0, as: TicketRefunded.self) }).first(where: { $0.ticketId == ticketId }) {
            derivation.status = "refunded"
            derivation.ticketWei = refund.amountWei.value
            derivation.steps = [DerivationStep(name: "refund", formula: "ticket_price_wei, in full (a cancelled race, or a racer withdrawn)",
                                               values: [("ticket_price_wei", "\(race.ticketPriceWei)")], wei: refund.amountWei.value)]
            return derivation
        }
        guard race.phase == "settled" else { return derivation }
        race.inputs = race.inputs.filter { $0.type != TicketBought.type || $0.id == ticketId }
        derivation.race = race
        guard race.paidClones.contains(bought.cloneId),
              let line = race.lines.first(where: { $0.kind == "holder" && $0.recipient == bought.holder.lowercase && $0.cloneId == bought.cloneId }) else {
            derivation.status = "lost"
            return derivation
        }
        let held = UInt128(line.tickets ?? 1)
        let onClone = UInt128(race.ticketsByClone.first { $0.0 == bought.cloneId }?.1 ?? 1)
        derivation.status = "won"
        derivation.holderLine = line
        derivation.ticketWei = line.amountWei.value / held
        derivation.steps = [
            DerivationStep(name: "holder_line", formula: "floor(holder_share × tickets_held / tickets_on_clone): the holder's line, paid once for all its tickets on the clone",
                           values: [("holder_share", "\(race.holderShareWei)"), ("tickets_held", "\(held)"), ("tickets_on_clone", "\(onClone)")],
                           wei: line.amountWei.value, floorOf: race.holderShareWei * held, over: onClone),
            DerivationStep(name: "ticket", formula: "floor(holder_line / tickets_held): this ticket's part of its holder's line",
                           values: [("holder_line", "\(line.amountWei.value)"), ("tickets_held", "\(held)")], wei: line.amountWei.value / held),
        ]
        return derivation
    }
}

extension LogRecord {
    /// Whether the payload holds `text` (a cheap filter before decoding).
    func payloadContains(_ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard !needle.isEmpty, payload.count >= needle.count else { return false }
        return payload.withContiguousStorageIfAvailable { bytes in
            var index = 0
            while index + needle.count <= bytes.count {
                if bytes[index] == needle[0], Array(bytes[index..<index + needle.count]) == needle { return true }
                index += 1
            }
            return false
        } ?? String(decoding: payload, as: UTF8.self).contains(text)
    }
}
