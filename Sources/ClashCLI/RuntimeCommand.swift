import ArgumentParser
import Clash
import Foundation

struct RuntimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runtime", abstract: "Trade clones on paper over the logged market, every step an event.",
        subcommands: [RuntimeRun.self, RuntimeRunOnce.self, RuntimeWorkerCommand.self, RuntimeTrail.self, KillSwitchCommand.Halt.self, KillSwitchCommand.ReduceOnly.self, KillSwitchCommand.Resume.self])
}

/// The kill switch, as events: every run stamped at or after one follows it.
enum KillSwitchCommand {
    /// What each kill-switch command takes: where, when, and why.
    struct Options: ParsableArguments {
        @OptionGroup var data: DataOptions
        @OptionGroup var writer: WriterOptions
        @Option(help: "Why.") var reason: String

        func set(_ state: Gates.KillSwitch) throws {
            let ledger = try writer.open(data)
            defer { try? ledger.close() }
            let result = try ledger.setKillSwitch(state, reason: reason)
            Output.line("{\"sequence\":\(result.lastSequence),\"state\":\"\(state.rawValue)\"}")
        }
    }

    struct Halt: ClashCommand {
        static let configuration = CommandConfiguration(commandName: "halt", abstract: "Halt the runtime: every action is rejected (kill_switch).")
        @OptionGroup var options: Options
        func execute() throws { try options.set(.halted) }
    }

    struct ReduceOnly: ClashCommand {
        static let configuration = CommandConfiguration(commandName: "reduce-only", abstract: "Only closes pass; every open is rejected (kill_switch).")
        @OptionGroup var options: Options
        func execute() throws { try options.set(.reduceOnly) }
    }

    struct Resume: ClashCommand {
        static let configuration = CommandConfiguration(commandName: "resume", abstract: "Trade again.")
        @OptionGroup var options: Options
        func execute() throws { try options.set(.running) }
    }
}
