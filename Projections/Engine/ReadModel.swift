import Foundation
import GRDB
import GRDBSQLite
import LedgerLog

/// One projector's database file, `<name>.sqlite`, holding its tables and, in `_projection`, the
/// version, schema hash and log checkpoint it was built with. The checkpoint is written in the
/// same transaction as the rows, so the file is always consistent with some prefix of the log.
///
/// Rollback-journal mode (not WAL): a rebuild swaps in a new file by rename, and a WAL file left
/// by a reader of the old file must never be paired with the new one.
final class ReadModel {
    let projector: any Projector
    /// The database file, or nil for a read model held in memory.
    let path: String?
    private(set) var queue: DatabaseQueue
    private(set) var checkpoint: UInt64

    static let metaTable = "_projection"

    /// Opens the read model at `path`. Returns nil when there is none, or when the file was built by
    /// another version or schema of the projector, or never finished being built: it must be
    /// (re)built, which the runner does in a shadow file, so a live file is always whole.
    /// With `readOnly`, the file is opened read-only: nothing of it is ever written.
    /// A file a killed writer left mid-transaction (a hot journal beside it) cannot be read in place
    /// without rolling the journal back, which is a write: it is read from a private copy instead.
    static func open(_ projector: any Projector, path: String, readOnly: Bool = false) throws -> ReadModel? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try open(projector, path: path, queue: try makeQueue(path, readOnly: readOnly))
        } catch let error as DatabaseError where readOnly && Self.needsRollback(error) {
            return try open(projector, path: nil, queue: try committedCopy(of: path))
        }
    }

    private static func needsRollback(_ error: DatabaseError) -> Bool {
        error.extendedResultCode == .SQLITE_READONLY_ROLLBACK || error.extendedResultCode == .SQLITE_READONLY_RECOVERY
    }

    /// The file as of its last commit, in memory: the file and its journal are copied aside, the
    /// copy is rolled back there by SQLite as it opens, and the result is backed up into memory.
    /// Nothing beside the original is touched.
    private static func committedCopy(of path: String) throws -> DatabaseQueue {
        let scratch = NSTemporaryDirectory() + "clash-readmodel-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let copy = scratch + "/" + (path as NSString).lastPathComponent
        for suffix in ["", "-journal"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.copyItem(atPath: path + suffix, toPath: copy + suffix)
        }
        let rolledBack = try makeQueue(copy)
        defer { try? rolledBack.close() }
        let memory = try makeQueue(nil)
        try rolledBack.backup(to: memory)
        return memory
    }

    private static func open(_ projector: any Projector, path: String?, queue: DatabaseQueue) throws -> ReadModel? {
        let meta = try queue.read { db -> Row? in
            guard try db.tableExists(metaTable) else { return nil }
            return try Row.fetchOne(db, sql: "SELECT version, schema_hash, checkpoint FROM \(metaTable) WHERE name = ?", arguments: [projector.name])
        }
        guard let meta, meta["version"] as Int == projector.version, meta["schema_hash"] as String == projector.schemaHash else {
            try queue.close()
            return nil
        }
        return ReadModel(projector: projector, path: path, queue: queue, checkpoint: UInt64(meta["checkpoint"] as Int64))
    }

    /// Creates a fresh read model at `path` (which must not exist), or in memory when nil.
    static func create(_ projector: any Projector, path: String?) throws -> ReadModel {
        let queue = try makeQueue(path)
        try initialize(queue, projector)
        return ReadModel(projector: projector, path: path, queue: queue, checkpoint: 0)
    }

    private init(projector: any Projector, path: String?, queue: DatabaseQueue, checkpoint: UInt64) {
        self.projector = projector
        self.path = path
        self.queue = queue
        self.checkpoint = checkpoint
    }

    private static func makeQueue(_ path: String?, readOnly: Bool = false) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(10)
        // Catch-up writes large transactions: a 64 MiB page cache keeps them from spilling to disk
        // page by page before the commit.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -65536") }
        guard let path else { return try DatabaseQueue(configuration: configuration) }
        configuration.label = (path as NSString).lastPathComponent
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    private static func initialize(_ queue: DatabaseQueue, _ projector: any Projector) throws {
        try queue.write { db in
            try db.execute(sql: projector.schemaSQL)
            try db.execute(sql: """
                CREATE TABLE \(metaTable) (name TEXT PRIMARY KEY, version INTEGER NOT NULL, schema_hash TEXT NOT NULL,
                                           checkpoint INTEGER NOT NULL) WITHOUT ROWID
                """)
            try db.execute(sql: "INSERT INTO \(metaTable) VALUES (?, ?, ?, 0)",
                           arguments: [projector.name, projector.version, projector.schemaHash])
        }
    }

    /// Folds the records after the checkpoint in one transaction and moves the checkpoint to
    /// `through` (the last sequence the records cover). When an event cannot be folded, the
    /// transaction is rolled back, everything before that event is folded and committed, and the
    /// error is thrown: the read model stands just before the bad event.
    func fold(_ records: [LogRecord], through: UInt64) throws {
        do {
            try foldOnce(records, through: through)
        } catch ProjectionError.badEvent(let projector, let sequence, let type, let reason) {
            if sequence > checkpoint + 1 {
                try foldOnce(records.filter { $0.sequence < sequence }, through: sequence - 1)
            }
            throw ProjectionError.badEvent(projector: projector, sequence: sequence, type: type, reason: reason)
        }
    }

    private func foldOnce(_ records: [LogRecord], through: UInt64) throws {
        guard through > checkpoint else { return }
        let projector = self.projector
        let from = checkpoint
        // A read model in memory (a market view's, stepping a minute at a time) that reads none of
        // the records only moves its checkpoint: nothing in it would change, and no later process
        // reads the stored one (the next fold that writes stores it).
        if path == nil, !records.contains(where: { $0.sequence > from && projector.reads($0.type) }) {
            checkpoint = through
            return
        }
        try queue.inTransaction { db in
            var fold = try projector.makeFold(db)
            var lastType = ""
            var reads = false
            for record in records where record.sequence > from {
                if record.type != lastType {
                    lastType = record.type
                    reads = projector.reads(record.type)
                }
                if reads { try fold.apply(record) }
            }
            try fold.flush()
            try SQLiteBinder.run(db.cachedStatement(sql: "UPDATE \(Self.metaTable) SET checkpoint = ? WHERE name = ?"), db) { raw in
                sqlite3_bind_int64(raw, 1, Int64(through))
                SQLiteBinder.bind(raw, 2, projector.name)
            }
            return .commit
        }
        checkpoint = through
    }

    /// The same read model copied into memory, to fold what a read-only file lacks.
    /// A copy in memory, with the checkpoint the copied rows were folded through: a writer may have
    /// moved the file on since this model read its checkpoint, and the copy must not fold again
    /// what its rows hold already.
    func memoryCopy() throws -> ReadModel {
        let memory = try Self.makeQueue(nil)
        try queue.backup(to: memory)
        let copied = try memory.read { db in
            try Int64.fetchOne(db, sql: "SELECT checkpoint FROM \(Self.metaTable) WHERE name = ?", arguments: [projector.name])
        }
        return ReadModel(projector: projector, path: nil, queue: memory, checkpoint: copied.map(UInt64.init) ?? checkpoint)
    }

    func close() throws {
        try queue.close()
    }
}
