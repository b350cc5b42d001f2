import ArgumentParser
import Foundation
import LedgerLog
import Projections

struct ProjectionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections", abstract: "Build, rebuild and inspect the read models.",
        subcommands: [ProjectionsStatus.self, ProjectionsRebuild.self, ProjectionsCatchUp.self])
}

extension DataOptions {
    /// Where the read models live.
    var projectionsDirectory: String { directory + "/projections" }

    /// Opens the read models over the log (rebuilding any whose projector changed).
    func openProjections(progress: ((ProjectionRunner.Progress) -> Void)? = nil) throws -> ProjectionRunner {
        try ProjectionRunner(directory: projectionsDirectory, log: try LogReader(directory: logDirectory),
                             projectors: ReadModels.all, progress: progress)
    }
}

/// Progress on a terminal: events, rate and time left, rewritten in place on standard error.
enum ProgressLine {
    nonisolated(unsafe) private static var started = 0.0
    nonisolated(unsafe) private static var lastPrint = 0.0
    private static let isTerminal = isatty(STDERR_FILENO) != 0

    static func report(_ progress: ProjectionRunner.Progress) {
        guard isTerminal else { return }
        let now = monotonicSeconds()
        if started == 0 { started = now }
        guard now - lastPrint > 0.2 || progress.sequence == progress.head else { return }
        lastPrint = now
        let rate = Double(progress.events) / max(now - started, 1e-3)
        let left = Double(progress.head - min(progress.head, progress.sequence)) / max(rate, 1)
        let line = String(format: "\r%@ %llu / %llu events, %.0f events/s, %.0f s left   ",
                          progress.projector ?? "read models", progress.sequence, progress.head, rate, left)
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func finish() {
        if isTerminal && started > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
        started = 0
    }
}
