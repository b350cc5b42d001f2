import EventSchemas
import Foundation
import GRDB
import LedgerLog

/// Keeps read models up to date with the log: catches each up from its checkpoint, rebuilds one
/// whose projector changed (into a shadow file swapped in by rename), follows new events, and
/// hashes their state.
public final class ProjectionRunner {
    /// Where the read models live: `<directory>/<projector>.sqlite`; nil for read models in memory.
    public let directory: String?
    private let log: any LogReading
    private var models: [ReadModel] = []
    /// Whether the read models on disk are only read (`init(readingDirectory:)`).
    public let readOnly: Bool

    /// Progress of a catch-up or rebuild.
    public struct Progress: Sendable {
        public var projector: String?
        public var sequence: UInt64
        public var head: UInt64
        public var events: Int
    }

    /// Opens every projector's read model, rebuilding those built by another version or schema.
    /// With no directory, the read models live in memory (for tests and simulations).
    public init(directory: String?, log: any LogReading, projectors: [any Projector],
                progress: ((Progress) -> Void)? = nil) throws {
        self.directory = directory
        self.log = log
        readOnly = false
        guard let directory else {
            models = try projectors.map { try ReadModel.create($0, path: nil) }
            return
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for projector in projectors {
            let path = directory + "/" + projector.name + ".sqlite"
            try? FileManager.default.removeItem(atPath: path + Self.shadowSuffix)  // a rebuild cut short
            if !FileManager.default.fileExists(atPath: path) {
                // A new read model starts empty at checkpoint 0 (created whole, by rename); catch-up fills it.
                models.append(try buildShadowAndSwap(projector, fold: false, progress: progress))
            } else if let model = try ReadModel.open(projector, path: path) {
                models.append(model)
            } else {
                models.append(try buildShadowAndSwap(projector, progress: progress))
            }
        }
    }

    /// Reads the read models in `directory` without ever writing there (nor creating it): each
    /// file is opened read-only; one that is missing, or built by another version or schema, is
    /// built in memory from the log instead; one behind the log is copied into memory before the
    /// rest is folded. For commands that only read, and for read-only copies of a data directory.
    public init(readingDirectory directory: String, log: any LogReading, projectors: [any Projector]) throws {
        self.directory = directory
        self.log = log
        readOnly = true
        for projector in projectors {
            let path = directory + "/" + projector.name + ".sqlite"
            models.append(try ReadModel.open(projector, path: path, readOnly: true) ?? ReadModel.create(projector, path: nil))
        }
    }

    static let shadowSuffix = ".rebuild"

    func path(of projector: any Projector) -> String? { directory.map { $0 + "/" + projector.name + ".sqlite" } }

    public var projectorNames: [String] { models.map(\.projector.name) }

    // MARK: - Catching up

    /// Folds every event after each read model's checkpoint, one transaction per log batch.
    /// Returns the number of events read.
    @discardableResult
    public func catchUp(progress: ((Progress) -> Void)? = nil) throws -> Int {
        try log.refresh()
        return try fold(models, through: try log.head.sequence, progress: progress)
    }

    /// Catches up, then keeps folding new events every `pollMilliseconds` until `shouldStop`.
    public func follow(pollMilliseconds: Int = 200, shouldStop: () -> Bool) throws {
        while !shouldStop() {
            if try catchUp() == 0 { usleep(UInt32(pollMilliseconds * 1000)) }
        }
    }

    /// Most events folded in one read-model transaction while catching up, by default: each commit
    /// costs fsyncs, so catch-up folds many log batches at once; a live follower commits as events come.
    public static let transactionEventsDefault = 262_144

    /// Most events folded in one read-model transaction.
    public var transactionEventsMax = ProjectionRunner.transactionEventsDefault

    /// From this many events behind on, catching up reads the log on a second thread.
    static let pipelinedCatchUp: UInt64 = 65_536

    private func fold(_ targets: [ReadModel], through head: UInt64, progress: ((Progress) -> Void)?) throws -> Int {
        guard let lowest = targets.map(\.checkpoint).min(), lowest < head else { return 0 }
        var targets = targets
        if readOnly {
            // Never into a file opened read-only: what lags is folded into a copy in memory.
            for index in models.indices where models[index].path != nil && models[index].checkpoint < head {
                let copy = try models[index].memoryCopy()
                if let target = targets.firstIndex(where: { $0 === models[index] }) { targets[target] = copy }
                try models[index].close()
                models[index] = copy
            }
        }
        var events = 0
        var pending: [LogRecord] = []
        var pendingThrough: UInt64 = 0
        func commit() throws {
            for model in targets where model.checkpoint < pendingThrough {
                do {
                    try model.fold(pending, through: pendingThrough)
                } catch let error as ProjectionError {
                    throw error
                } catch {
                    throw ProjectionError.database(projector: model.projector.name, path: model.path, reason: "\(error)")
                }
            }
            events += pending.count
            pending.removeAll(keepingCapacity: true)
            progress?(Progress(projector: targets.count == 1 ? targets[0].projector.name : nil,
                               sequence: pendingThrough, head: head, events: events))
        }
        var known: (type: String, version: Int)?
        func take(_ record: LogRecord) throws {
            // Every event must be one the catalog knows: an unknown one is never skipped silently.
            // (Runs of one type are looked up once.)
            if known?.type != record.type || known?.version != record.schemaVersion {
                guard EventCatalog.entry(type: record.type, version: record.schemaVersion) != nil else {
                    if !pending.isEmpty { try commit() }
                    throw ProjectionError.unknownEvent(sequence: record.sequence, type: record.type, version: record.schemaVersion)
                }
                known = (record.type, record.schemaVersion)
            }
            pending.append(record)
            pendingThrough = record.sequence
            if pending.count >= transactionEventsMax { try commit() }
        }
        if head - lowest >= Self.pipelinedCatchUp {
            // A long way to go: read on another thread while this one folds.
            let pipe = RecordPipe(log: log, from: lowest + 1, through: head)
            defer { pipe.cancel() }
            while let chunk = try pipe.next() {
                for record in chunk { try take(record) }
            }
        } else {
            try log.forEach(from: lowest + 1, filter: .all) { record in
                guard record.sequence <= head else { return false }
                try take(record)
                return record.sequence < head
            }
        }
        if !pending.isEmpty { try commit() }
        return events
    }

    // MARK: - Rebuilding

    /// Rebuilds one read model (or all) from the log into a shadow file and swaps it in: a reader
    /// sees the old read model or the new one, never a half-built one.
    public func rebuild(_ name: String? = nil, progress: ((Progress) -> Void)? = nil) throws {
        precondition(!readOnly, "a read-only runner never rebuilds")
        if let name, !models.contains(where: { $0.projector.name == name }) { throw ProjectionError.unknownProjector(name) }
        for index in models.indices where name == nil || models[index].projector.name == name {
            let projector = models[index].projector
            try models[index].close()
            models[index] = try buildShadowAndSwap(projector, progress: progress)
        }
    }

    /// Builds a read model in `<name>.sqlite.rebuild` (folded from the log unless `fold` is false)
    /// and renames it over the live file.
    private func buildShadowAndSwap(_ projector: any Projector, fold folding: Bool = true,
                                    progress: ((Progress) -> Void)?) throws -> ReadModel {
        guard let live = path(of: projector) else {
            let model = try ReadModel.create(projector, path: nil)
            try log.refresh()
            _ = try fold([model], through: try log.head.sequence, progress: progress)
            return model
        }
        let shadow = live + Self.shadowSuffix
        try? FileManager.default.removeItem(atPath: shadow)
        let model = try ReadModel.create(projector, path: shadow)
        if folding {
            try log.refresh()
            _ = try fold([model], through: try log.head.sequence, progress: progress)
        }
        try model.close()
        let file = open(shadow, O_RDONLY)
        if file >= 0 { fsync(file); Glibc.close(file) }
        guard rename(shadow, live) == 0 else {
            throw ProjectionError.database(projector: projector.name, path: live, reason: "cannot swap in the rebuilt file: \(String(cString: strerror(errno)))")
        }
        let folder = open(directory!, O_RDONLY)
        if folder >= 0 { fsync(folder); Glibc.close(folder) }
        guard let reopened = try ReadModel.open(projector, path: live) else {
            throw ProjectionError.database(projector: projector.name, path: live, reason: "the rebuilt file does not carry the projector's version")
        }
        return reopened
    }

    // MARK: - Inspecting

    /// A read model's standing against the log.
    public struct Status: Sendable {
        public var name: String
        public var version: Int
        public var schemaHash: String
        public var checkpoint: UInt64
        public var lag: UInt64
        /// The database file, or nil in memory.
    public var path: String?
    }

    public func status() throws -> [Status] {
        try log.refresh()
        let head = try log.head.sequence
        return models.map { model in
            Status(name: model.projector.name, version: model.projector.version, schemaHash: model.projector.schemaHash,
                   checkpoint: model.checkpoint, lag: head - min(head, model.checkpoint), path: model.path)
        }
    }

    /// The state hash of every read model, by projector name.
    /// The rows of every table of read model `name`, its bookkeeping (tables named `_…`) aside.
    public func rowCount(_ name: String) throws -> Int {
        try read(name) { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'")
                .reduce(0) { $0 + (try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\($1)\"") ?? 0) }
        }
    }

    public func stateHashes() throws -> [String: StateHash] {
        var hashes: [String: StateHash] = [:]
        for model in models {
            hashes[model.projector.name] = try model.queue.read { try StateHash.compute($0) }
        }
        return hashes
    }

    /// Rebuilds every read model from the log, in memory or in `scratchDirectory`, up to this
    /// runner's checkpoints, and compares state hashes. Throws `replayMismatch` naming the first
    /// differing table and row.
    public func verifyReplay(scratchDirectory: String? = nil) throws {
        try catchUp()
        if let scratchDirectory { try FileManager.default.createDirectory(atPath: scratchDirectory, withIntermediateDirectories: true) }
        let replayed = try ProjectionRunner(directory: nil, log: log, projectors: [])
        for model in models {
            let copy = try ReadModel.create(model.projector, path: scratchDirectory.map { $0 + "/" + model.projector.name + ".sqlite" })
            _ = try replayed.fold([copy], through: model.checkpoint, progress: nil)
            let liveHash = try model.queue.read { try StateHash.compute($0) }
            let copyHash = try copy.queue.read { try StateHash.compute($0) }
            if liveHash != copyHash {
                let table = liveHash.tables.keys.sorted().first { liveHash.tables[$0] != copyHash.tables[$0] } ?? "?"
                let detail = try model.queue.read { live in
                    try copy.queue.read { replayedDB in try StateHash.firstDifference(table, live: live, replayed: replayedDB) }
                }
                try copy.close()
                throw ProjectionError.replayMismatch(table: "\(model.projector.name).\(table)", detail: detail)
            }
            try copy.close()
        }
    }

    /// Runs `body` with read access to a read model's database, in one deferred transaction (one
    /// consistent snapshot, as GRDB's `read`). Not through `read` itself: that toggles
    /// `PRAGMA query_only`, which expires every prepared statement of the connection, so the
    /// cached statements of hot readers (`AssetMemory`) would be compiled again on every call.
    /// `body` must only read.
    public func read<Result>(_ name: String, _ body: (Database) throws -> Result) throws -> Result {
        guard let model = models.first(where: { $0.projector.name == name }) else { throw ProjectionError.unknownProjector(name) }
        return try model.queue.inDatabase { db in
            var result: Result?
            try db.inTransaction(.deferred) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    /// Closes every read model.
    public func close() throws {
        for model in models { try model.close() }
    }
}
