import ArgumentParser
import Audit
import EventSchemas
import Foundation
import LedgerLog

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
}
