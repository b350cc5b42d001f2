import ArgumentParser

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Inspect, check, copy and repair the event log; prove what it holds.",
        subcommands: [LogStats.self, LogVerify.self, LogDump.self, LogExportCommand.self, LogImportCommand.self, LogRepair.self,
                      LogRoot.self, LogProve.self, LogCheckProof.self, LogKeygen.self, LogSignHead.self, LogCheckHead.self])
}
