import ArgumentParser
import Audit
import EventSchemas
import Foundation
import LedgerLog

struct RaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "race", abstract: "Check a race against the log.", subcommands: [RaceAuditCommand.self])
}

/// `clash race audit RACE`: exit 0 match, 1 divergence, 2 cannot audit.
struct RaceAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Re-run a race from the log and the artifact store alone and compare every event with the logged one.",
        discussion: """
            Every run's packet, decision (the rules engine decides again; a model's answer is read from its recorded \
            exchange, never asked again), gate, order, fill, funding payment, liquidation and mark, the ranking and the \
            settlement are recomputed and compared, field by field, with the events the log holds. Prints `match`, or \
            the first diverging event in log order (sequence, type, field, logged and recomputed values). Reads only: \
            it works on an exported log imported elsewhere. Exit 0 match, 1 divergence, 2 cannot audit (a missing \
            artifact, a policy or engine version this build does not know, a race that has not ended).
            """)
    @OptionGroup var data: DataOptions
    @OptionGroup var artifacts: ArtifactOptions
    @Flag(help: "One JSON object instead of text.") var json = false
    @Argument(help: "The race's id.") var race: String

    func run() throws {
        let report: RaceAuditReport
        do {
            report = try RaceAudit.audit(raceId: race, log: try data.existingLog(), artifacts: try artifacts.store(data), treeDirectory: data.directory + "/tree")
        } catch {
            Output.error("cannot audit race \(race): \(error)")
            throw ExitCode(2)
        }
        if json {
            Output.json { Self.write(report, to: &$0) }
        } else if let divergence = report.divergence {
            Output.line("race \(race): divergence at sequence \(divergence.sequence.map(String.init) ?? "(none: missing from the log)"): \(divergence.type) \(divergence.id)")
            Output.line("  field      \(divergence.field)")
            Output.line("  logged     \(divergence.logged)")
            Output.line("  recomputed \(divergence.recomputed)")
            Output.line("  \(report.divergences) event(s) differ of \(report.eventsCompared) recomputed")
        } else {
            Output.line("race \(race): match — \(report.eventsCompared) events recomputed and equal to the log (\(report.racers) racers, \(report.runs) runs, \(report.fills) fills, settlement at sequence \(report.settledSequence.map(String.init) ?? "-"))")
        }
        if !report.matches { throw ExitCode(1) }
    }

    static func write(_ report: RaceAuditReport, to json: inout CanonicalJSONWriter) {
        json.beginObject()
        if let divergence = report.divergence {
            json.key("divergence")
            json.beginObject()
            json.key("field"); json.string(divergence.field)
            json.key("id"); json.string(divergence.id)
            json.key("logged"); json.string(divergence.logged)
            json.key("recomputed"); json.string(divergence.recomputed)
            json.key("sequence"); if let sequence = divergence.sequence { json.uint(sequence) } else { json.null() }
            json.key("type"); json.string(divergence.type)
            json.endObject()
        }
        json.key("divergences"); json.int(report.divergences)
        json.key("ended_sequence"); if let sequence = report.endedSequence { json.uint(sequence) } else { json.null() }
        json.key("events_compared"); json.int(report.eventsCompared)
        json.key("fills"); json.int(report.fills)
        json.key("race_id"); json.string(report.raceId)
        json.key("racers"); json.int(report.racers)
        json.key("result"); json.string(report.matches ? "match" : "divergence")
        json.key("runs"); json.int(report.runs)
        json.key("settled_sequence"); if let sequence = report.settledSequence { json.uint(sequence) } else { json.null() }
        json.endObject()
    }
}

struct DisputeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispute", abstract: "Explain a payout: every step of the settlement, each input event with its inclusion proof.",
        subcommands: [DisputeTicket.self, DisputeRace.self])
}

/// `clash dispute ticket TICKET`.
struct DisputeTicket: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket",
        abstract: "The derivation of one ticket's payout or refund, with the events it depends on and their inclusion proofs.",
        discussion: """
            Recomputes the ticket's race settlement under policy v1 from the logged events: the pool, the rake, the creator \
            and holder pools, the holder's line and the ticket's part of it, each floor and what it leaves. Each input \
            event (the race's opening and end, the ticket's purchase, the racers' creators) comes with an RFC 9162 \
            inclusion proof to the tree head the settlement records; `clash log check-proof` or any RFC 9162 verifier \
            checks them offline. `clash dispute race` proves every ticket of the race.
            """)
    @OptionGroup var data: DataOptions
    @Flag(help: "One JSON object instead of text (the default when standard output is not a terminal).") var json = false
    @Argument(help: "The ticket's id (as `clash tickets show` prints it).") var ticket: String

    func execute() throws {
        let (tree, log) = try data.tree()
        let derivation = try Dispute.ticket(ticket, log: log, tree: tree)
        if json || isatty(STDOUT_FILENO) == 0 {
            Output.json { DisputeOutput.write(derivation, to: &$0) }
        } else {
            Output.line("ticket \(derivation.ticketId) of race \(derivation.race.raceId): \(derivation.status), \(derivation.ticketWei) wei to \(derivation.holder) (on \(derivation.cloneId))")
            DisputeOutput.text(derivation.steps)
            DisputeOutput.text(derivation.race)
        }
    }
}

/// `clash dispute race RACE`.
struct DisputeRace: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "race",
        abstract: "The derivation of a race's whole settlement (or refunds), every input event with its inclusion proof.")
    @OptionGroup var data: DataOptions
    @Flag(help: "One JSON object instead of text (the default when standard output is not a terminal).") var json = false
    @Argument(help: "The race's id.") var race: String

    func execute() throws {
        let (tree, log) = try data.tree()
        let derivation = try Dispute.race(race, log: log, tree: tree)
        if json || isatty(STDOUT_FILENO) == 0 {
            Output.json { DisputeOutput.write(derivation, to: &$0) }
        } else {
            DisputeOutput.text(derivation)
        }
        if !derivation.agreesWithLog || !derivation.treeRootMatches { throw ExitCode(1) }
    }
}

enum DisputeOutput {
    static func text(_ steps: [DerivationStep]) {
        for step in steps {
            let values = step.values.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            Output.line("  \(step.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(step.wei) wei = \(step.formula) [\(values)]"
                        + (step.floorLeft.map { " floor left \($0) wei" } ?? ""))
        }
    }

    static func text(_ race: SettlementDerivation) {
        Output.line("race \(race.raceId): \(race.phase); tree head \(race.treeSize) \(race.treeRoot.hex)\(race.treeRootMatches ? "" : " (NOT the log's root of that size)")")
        text(race.steps)
        Output.line("  payout lines \(race.agreesWithLog ? "equal to" : "DIFFER from") the logged settlement at sequence \(race.settlementSequence.map(String.init) ?? "-")")
        Output.line("  \(race.inputs.count) input events, each with an inclusion proof (--json prints them)")
    }

    static func write(_ step: DerivationStep, to json: inout CanonicalJSONWriter) {
        json.beginObject()
        if let left = step.floorLeft { json.key("floor_left_wei"); json.string(left) }
        json.key("formula"); json.string(step.formula)
        json.key("name"); json.string(step.name)
        json.key("values")
        json.beginObject()
        for (key, value) in step.values.sorted(by: { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }) {
            json.key(key); json.string(value)
        }
        json.endObject()
        json.key("wei"); json.string("\(step.wei)")
        json.endObject()
    }

    static func write(_ line: PayoutLine, to json: inout CanonicalJSONWriter) {
        json.beginObject()
        json.key("amount_wei"); json.string("\(line.amountWei.value)")
        if let clone = line.cloneId { json.key("clone_id"); json.string(clone) }
        json.key("kind"); json.string(line.kind)
        json.key("recipient"); json.string(line.recipient)
        if let tickets = line.tickets { json.key("tickets"); json.int(tickets) }
        json.endObject()
    }

    static func write(_ race: SettlementDerivation, to json: inout CanonicalJSONWriter) {
        json.beginObject()
        json.key("agrees_with_log"); json.bool(race.agreesWithLog)
        json.key("inputs")
        json.beginArray()
        for input in race.inputs {
            json.beginObject()
            json.key("id"); json.string(input.id)
            json.key("proof"); input.proof.write(to: &json)
            json.key("sequence"); json.uint(input.sequence)
            json.key("type"); json.string(input.type)
            json.endObject()
        }
        json.endArray()
        json.key("lines")
        json.beginArray()
        for line in race.lines { write(line, to: &json) }
        json.endArray()
        json.key("paid_clones")
        json.beginArray()
        for clone in race.paidClones { json.string(clone) }
        json.endArray()
        json.key("phase"); json.string(race.phase)
        json.key("race_id"); json.string(race.raceId)
        json.key("settlement_sequence"); if let sequence = race.settlementSequence { json.uint(sequence) } else { json.null() }
        json.key("steps")
        json.beginArray()
        for step in race.steps { write(step, to: &json) }
        json.endArray()
        json.key("ticket_price_wei"); json.string("\(race.ticketPriceWei)")
        json.key("tickets_by_clone")
        json.beginObject()
        for (clone, count) in race.ticketsByClone.sorted(by: { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }) {
            json.key(clone); json.int(count)
        }
        json.endObject()
        json.key("tree_head")
        json.beginObject()
        json.key("matches_log"); json.bool(race.treeRootMatches)
        json.key("root_hash"); json.string(race.treeRoot.hex)
        json.key("tree_size"); json.uint(race.treeSize)
        json.endObject()
        json.endObject()
    }

    static func write(_ ticket: TicketDerivation, to json: inout CanonicalJSONWriter) {
        json.beginObject()
        json.key("clone_id"); json.string(ticket.cloneId)
        json.key("holder"); json.string(ticket.holder)
        if let line = ticket.holderLine { json.key("holder_line"); write(line, to: &json) }
        json.key("race"); write(ticket.race, to: &json)
        json.key("status"); json.string(ticket.status)
        json.key("steps")
        json.beginArray()
        for step in ticket.steps { write(step, to: &json) }
        json.endArray()
        json.key("ticket_id"); json.string(ticket.ticketId)
        json.key("ticket_wei"); json.string("\(ticket.ticketWei)")
        json.endObject()
    }
}
