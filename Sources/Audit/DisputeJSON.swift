import EventSchemas
import LedgerLog
import Transparency

/// Disputes as JSON — what `clash dispute --json` prints and `clash serve` answers: every step of
/// a derivation with its values, the payout lines, each input event with its inclusion proof.
public enum DisputeJSON {
    public static func write(_ step: DerivationStep, to json: inout CanonicalJSONWriter) {
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

    public static func write(_ line: PayoutLine, to json: inout CanonicalJSONWriter) {
        json.beginObject()
        json.key("amount_wei"); json.string("\(line.amountWei.value)")
        if let clone = line.cloneId { json.key("clone_id"); json.string(clone) }
        json.key("kind"); json.string(line.kind)
        json.key("recipient"); json.string(line.recipient)
        if let tickets = line.tickets { json.key("tickets"); json.int(tickets) }
        json.endObject()
    }

    public static func write(_ race: SettlementDerivation, to json: inout CanonicalJSONWriter) {
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

    public static func write(_ ticket: TicketDerivation, to json: inout CanonicalJSONWriter) {
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
