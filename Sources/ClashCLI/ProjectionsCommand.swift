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

struct ProjectionsStatus: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Print JSON per read model: version, schema hash, checkpoint, lag.")

    @OptionGroup var data: DataOptions

    func execute() throws {
        let runner = try data.readModels()
        defer { try? runner.close() }
        for status in try runner.status() {
            Output.json { json in
                json.beginObject()
                json.key("checkpoint"); json.uint(status.checkpoint)
                json.key("lag"); json.uint(status.lag)
                json.key("name"); json.string(status.name)
                json.key("path")
                if let path = status.path { json.string(path) } else { json.null() }
                json.key("schema_hash"); json.string(status.schemaHash)
                json.key("version"); json.int(status.version)
                json.endObject()
            }
        }
    }
}

struct ProjectionsCatchUp: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "catch-up", abstract: "Fold every new event into the read models; --follow keeps going.")

    @OptionGroup var data: DataOptions
    @Flag(help: "Keep folding new events as they are appended (stop with Ctrl-C).") var follow = false
    @Option(help: "Most events per read-model transaction.")
    var transactionEvents = ProjectionRunner.transactionEventsDefault

    func validate() throws {
        guard transactionEvents >= 1 else { throw ValidationError("--transaction-events must be at least 1") }
    }

    func execute() throws {
        let runner = try data.openProjections(progress: ProgressLine.report)
        defer { try? runner.close() }
        runner.transactionEventsMax = transactionEvents
        let events = try runner.catchUp(progress: ProgressLine.report)
        ProgressLine.finish()
        Output.json { json in
            json.beginObject()
            json.key("events"); json.int(events)
            json.endObject()
        }
        if follow { try runner.follow { false } }
    }
}

struct ProjectionsRebuild: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild one read model (or all) from the log into a shadow file, then swap it in.")

    @OptionGroup var data: DataOptions
    @Argument(help: "The read model to rebuild (default: all).") var name: String?

    func execute() throws {
        let runner = try data.openProjections(progress: ProgressLine.report)
        defer { try? runner.close() }
        let start = monotonicSeconds()
        try runner.rebuild(name, progress: ProgressLine.report)
        ProgressLine.finish()
        let status = try runner.status().filter { name == nil || $0.name == name }
        Output.json { json in
            json.beginObject()
            json.key("rebuilt")
            json.beginArray()
            for entry in status { json.string(entry.name) }
            json.endArray()
            json.key("seconds"); json.decimal(monotonicSeconds() - start, places: 3)
            json.endObject()
        }
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
