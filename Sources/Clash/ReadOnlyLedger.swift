import Audit
import Foundation
import GRDB
import LedgerLog
import LedgerPostgres
import Projections
import Runtime

/// A data directory opened to read: the log and its read models, never written. What lags behind
/// the log is folded into copies in memory, so a reader beside a running writer sees the log's
/// head without taking the writer's lock or touching its files.
public final class ReadOnlyLedger {
    public let directory: String
    /// The log, read-only (a file log's reader, or the log on PostgreSQL).
    public let log: any LogReading
    private let runner: ProjectionRunner

    /// Opens `directory` to read; `NoLogError` when it holds no log (nothing is created).
    public static func open(directory: String, store: String? = nil) throws -> ReadOnlyLedger {
        let log: any LogReading
        if let store {
            log = try PostgresStore.open(url: store)
        } else {
            if let reason = NoLogError.missingLog(in: directory) { throw NoLogError(directory: directory, reason: reason) }
            log = try LogReader(directory: directory + "/log")
        }
        return ReadOnlyLedger(directory: directory, log: log,
                              runner: try ProjectionRunner(readingDirectory: directory + "/projections", log: log, projectors: ReadModels.all))
    }

    private init(directory: String, log: any LogReading, runner: ProjectionRunner) {
        self.directory = directory
        self.log = log
        self.runner = runner
    }

    /// A race re-run from the log and `artifacts` alone and compared event by event with what the
    /// log holds (`RaceAudit`); the Merkle tree sidecar is read, never written.
    public func auditRace(_ raceId: String, artifacts: any ArtifactStore) throws -> RaceAuditReport {
        try RaceAudit.audit(raceId: raceId, log: log, artifacts: artifacts, treeDirectory: directory + "/tree")
    }

    /// The read models' questions (`Queries`), answered as of the log's head.
    public var queries: Queries { Queries(access: self) }

    /// Each read model's checkpoint and how far it lags behind the log's head (before a query folds it up).
    public func projectionStatus() throws -> [ProjectionRunner.Status] { try runner.status() }

    public func close() throws { try runner.close() }
}

extension ReadOnlyLedger: ReadModelAccess {
    func read<Result>(_ readModel: String, _ body: (Database) throws -> Result) throws -> Result {
        try runner.catchUp()
        return try runner.read(readModel, body)
    }

    func marketMemory<Result>(_ body: (AssetMemory) throws -> Result) throws -> Result {
        try runner.catchUp()
        return try runner.withAssetMemory(body)
    }
}

/// A command that only reads was pointed at a directory without a log.
public struct NoLogError: Error, CustomStringConvertible {
    public var directory: String
    public var reason: String

    public init(directory: String, reason: String) {
        self.directory = directory
        self.reason = reason
    }

    public var description: String {
        "no log in \(directory): \(reason); check the --data path (or $CLASH_DATA), or make a log there with `clash log import --from FILE` "
            + "or a command that writes (`clash ingest …`, `clash market simulate …`); nothing was created"
    }

    /// Why `directory` holds no log, or nil when it holds one (at least one segment file).
    public static func missingLog(in directory: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return "the directory does not exist" }
        guard isDirectory.boolValue else { return "it is not a directory" }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/log")) ?? []
        return names.contains { $0.hasPrefix("seg-") && $0.hasSuffix(".lz4") } ? nil : "it holds no log (no log/seg-*.lz4)"
    }
}
