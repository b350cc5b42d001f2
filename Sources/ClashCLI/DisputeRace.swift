import ArgumentParser
import Audit
import EventSchemas
import Foundation
import LedgerLog

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
            Output.json { DisputeJSON.write(derivation, to: &$0) }
        } else {
            DisputeOutput.text(derivation)
        }
        if !derivation.agreesWithLog || !derivation.treeRootMatches { throw ExitCode(1) }
    }
}
