import ArgumentParser
import Clash
import Foundation

struct ClonesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clones", abstract: "Create, change, retire and inspect clones and their private strategy graphs.",
        subcommands: [ClonesCreate.self, ClonesList.self, ClonesShow.self, ClonesValidate.self, ClonesTemplate.self,
                      ClonesChangeStrategy.self, ClonesChangeIdentity.self, ClonesRetire.self])
}

/// Options of commands that write a clone event.
struct WriterOptions: ParsableArguments {
    @Option(help: "Stamp the event with this time in ms (default: now).") var at: Int64?

    /// Opens the ledger; `artifacts` where the command reads or writes artifacts.
    func open(_ data: DataOptions, artifacts: ArtifactOptions? = nil) throws -> Ledger {
        let clock = at.map(FixedClock.init) ?? SystemClock() as any LedgerClock
        guard let artifacts else { return try Ledger.open(directory: data.directory, store: data.storeURL, clock: clock) }
        return try artifacts.open(data, clock: clock)
    }
}

/// An address as given, lowercased (checksummed addresses are accepted).
/// An address given on the command line, as events store it (lowercase); a mixed-case one must be
/// its EIP-55 checksum (exit 65 otherwise, nothing written).
func address(_ text: String, field: String = "--owner") throws -> String {
    try Address.parse(text, field: field, code: "clone.bad_address").lowercase
}

/// Reads a strategy graph document from a file, naming the file in any error.
func readGraph(_ path: String) throws -> StrategyGraph {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("cannot read the graph file \(path); give the path of a JSON strategy graph (`clash clones template` prints one)")
    }
    do {
        return try StrategyGraph.decode(Array(data))
    } catch {
        throw ValidationError("\(path): \(error)")
    }
}
