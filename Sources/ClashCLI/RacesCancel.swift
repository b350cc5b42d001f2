import ArgumentParser
import Clash
import Foundation

struct RacesCancel: ClashCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a race not yet settled: every ticket refunded in full.")
    @OptionGroup var data: DataOptions
    @Argument(help: "The race's id.") var race: String
    @Option(help: "Why: a reason code of lowercase letters, digits and _, e.g. operator or data_outage.") var reason: String
    @Option(help: "Stamp the events with this time in ms (default: now).") var at: Int64?

    func execute() throws {
        let ledger = try Ledger.open(directory: data.directory, store: data.storeURL, clock: at.map(FixedClock.init) ?? SystemClock())
        defer { try? ledger.close() }
        let state = try ledger.cancelRace(race, reason: reason)
        Output.line("{\"race_id\":\"\(race)\",\"phase\":\"\(state.phase.rawValue)\",\"refunded\":\(state.refunded.count)}")
    }
}
