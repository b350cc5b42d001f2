import ArgumentParser
import Audit
import EventSchemas
import Clash
import Foundation
import LedgerLog

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
            let ledger = try ReadOnlyLedger.open(directory: data.directory, store: data.storeURL)
            defer { try? ledger.close() }
            report = try ledger.auditRace(race, artifacts: try artifacts.store(data))
        } catch {
            Output.error("cannot audit race \(race): \(error)")
            throw ExitCode(2)
        }
        if json {
            Output.json { report.write(to: &$0) }
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
}
