import ArgumentParser
import Foundation
import GRDB
import LedgerLog
import Projections

/// The data directory every command works on.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The data directory (default: $CLASH_DATA, else ./clash-data).")
    var data: String?

    var directory: String {
        data ?? ProcessInfo.processInfo.environment["CLASH_DATA"] ?? "./clash-data"
    }

    /// Whether the directory was named (by --data or $CLASH_DATA) rather than the default.
    var isNamed: Bool { data != nil || ProcessInfo.processInfo.environment["CLASH_DATA"] != nil }

    /// The log directory inside the data directory.
    var logDirectory: String { directory + "/log" }

    /// Why the data directory holds no log, or nil when it holds one (at least one segment file).
    var missingLog: String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return "the directory does not exist" }
        guard isDirectory.boolValue else { return "it is not a directory" }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: logDirectory)) ?? []
        return names.contains { $0.hasPrefix("seg-") && $0.hasSuffix(".lz4") } ? nil : "it holds no log (no log/seg-*.lz4)"
    }

    /// For commands that only read: the log, refusing a directory that holds none. Never creates
    /// or writes anything.
    func existingLog() throws -> LogReader {
        if let reason = missingLog { throw NoLogError(directory: directory, reason: reason) }
        return try LogReader(directory: logDirectory)
    }

    /// For commands that only read: the read models, read-only (what lags behind the log is
    /// folded into copies in memory), refusing a directory that holds no log.
    func readModels() throws -> ProjectionRunner {
        try ProjectionRunner(readingDirectory: directory + "/projections", log: try existingLog(), projectors: ReadModels.all)
    }

    /// Reads one read model as of the log's head (read-only; what lags is folded in memory first).
    func read<Result>(_ model: String, _ body: (Database) throws -> Result) throws -> Result {
        let runner = try readModels()
        defer { try? runner.close() }
        try runner.catchUp()
        return try runner.read(model, body)
    }
}

/// A command that only reads was pointed at a directory without a log (exit 66, EX_NOINPUT).
struct NoLogError: Error, CustomStringConvertible {
    var directory: String
    var reason: String

    var description: String {
        "no log in \(directory): \(reason); check the --data path (or $CLASH_DATA), or make a log there with `clash log import --from FILE` "
            + "or a command that writes (`clash ingest …`, `clash market simulate …`); nothing was created"
    }
}
