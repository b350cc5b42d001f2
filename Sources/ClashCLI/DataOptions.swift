import ArgumentParser
import Clash
import Foundation
import LedgerLog
import LedgerPostgres

/// The data directory every command works on.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The data directory (default: $CLASH_DATA, else ./clash-data).")
    var data: String?

    @Option(name: .long, help: "Where the log is: a postgres://USER@HOST:PORT/DB[?schema=NAME] URL (default: $CLASH_STORE, else the data directory's log/). With PostgreSQL, --data holds what stays local: read models, artifacts, the tree sidecar.")
    var store: String?

    /// The log's PostgreSQL URL, or nil for the file log in the data directory.
    var storeURL: String? {
        let value = store ?? ProcessInfo.processInfo.environment["CLASH_STORE"]
        return value.flatMap { $0.isEmpty ? nil : $0 }
    }

    var directory: String {
        data ?? ProcessInfo.processInfo.environment["CLASH_DATA"] ?? "./clash-data"
    }

    /// Whether the directory was named (by --data or $CLASH_DATA) rather than the default.
    var isNamed: Bool { data != nil || ProcessInfo.processInfo.environment["CLASH_DATA"] != nil }

    /// The log directory inside the data directory.
    var logDirectory: String { directory + "/log" }

    /// Why the data directory holds no log, or nil when it holds one (at least one segment file).
    var missingLog: String? { NoLogError.missingLog(in: directory) }

    /// For commands that only read: the log, refusing a directory that holds none. Never creates
    /// or writes anything.
    func existingLog() throws -> any LogReading {
        if let url = storeURL { return try PostgresStore.open(url: url) }
        if let reason = missingLog { throw NoLogError(directory: directory, reason: reason) }
        return try LogReader(directory: logDirectory)
    }

    /// The file log's reader, for the commands that read its segments; refuses a PostgreSQL store.
    func existingFileLog(_ command: String) throws -> LogReader {
        if let url = storeURL { throw ValidationError("\(command) reads a file log's segments; the log at \(url) is on PostgreSQL (use clash log verify --store, or export it)") }
        if let reason = missingLog { throw NoLogError(directory: directory, reason: reason) }
        return try LogReader(directory: logDirectory)
    }

    /// For commands that only read: the read models, read-only (what lags behind the log is
    /// folded into copies in memory), refusing a directory that holds no log.
    func readModels() throws -> ProjectionRunner {
        try ProjectionRunner(readingDirectory: directory + "/projections", log: try existingLog(), projectors: ReadModels.all)
    }

    /// Answers the read models' questions as of the log's head, read-only (`ReadOnlyLedger`).
    func query<Result>(_ body: (Queries) throws -> Result) throws -> Result {
        let ledger = try ReadOnlyLedger.open(directory: directory, store: storeURL)
        defer { try? ledger.close() }
        return try body(ledger.queries)
    }
}
