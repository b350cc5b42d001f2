import ArgumentParser
import Audit
import EventSchemas
import Foundation
import LedgerLog

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
            Output.json { DisputeJSON.write(derivation, to: &$0) }
        } else {
            Output.line("ticket \(derivation.ticketId) of race \(derivation.race.raceId): \(derivation.status), \(derivation.ticketWei) wei to \(derivation.holder) (on \(derivation.cloneId))")
            DisputeOutput.text(derivation.steps)
            DisputeOutput.text(derivation.race)
        }
    }
}
