import ArgumentParser

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Inspect, check, copy and repair the event log.",
        subcommands: [LogStats.self, LogVerify.self, LogDump.self, LogExportCommand.self, LogImportCommand.self, LogRepair.self])
}
