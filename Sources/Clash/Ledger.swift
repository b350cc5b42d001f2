import Foundation
import GRDB
import LedgerLog
import LedgerPostgres
import Projections
import Runtime

/// A ledger: the event log and the read models folded from it, in a data directory or in memory.
/// The one object an application or a test suite embeds.
///
/// Confined, not `Sendable`: use a ledger from one thread at a time. Its read models are one
/// SQLite connection each and its projectors fold in place, so two threads querying or appending
/// at once would interleave a fold. To read from other threads, open a `ReadOnlyLedger` on each
/// (it never writes and sees the log's head), or share `log`: a `LogStore` is `Sendable`, one
/// writer and any number of readers.
public final class Ledger {
    /// The event log.
    public let log: any LogStore
    /// Where time comes from when an event is stamped.
    public let clock: any LedgerClock
    /// Where event ids come from when the caller gives none.
    public let ids: any IdGenerator
    /// Where strategy graphs, packets and other private payloads are kept, by SHA-256.
    public let artifacts: any ArtifactStore
    private let projections: ProjectionRunner
    /// The data directory (nil in memory).
    public let directory: String?
    /// Where the log's Merkle tree sidecar is kept (nil in memory).
    public var treeDirectory: String? { directory.map { $0 + "/tree" } }

    /// Opens (or creates) the ledger in a data directory: the log in `log/` — or on PostgreSQL when
    /// `store` is a `postgres://` URL, the directory then holding what stays local — the read
    /// models in `projections/`, the artifacts in `artifacts/` (unless another store is given).
    /// Opening recovers a file log after a crash and rebuilds read models whose projector changed.
    public static func open(
        directory: String, store: String? = nil, fsync: FsyncPolicy = .batchDefault, clock: any LedgerClock = SystemClock(),
        ids: any IdGenerator = RandomIds(), projectors: [any Projector] = ReadModels.all, artifacts: (any ArtifactStore)? = nil
    ) throws -> Ledger {
        let log: any LogStore = try store.map { try PostgresStore.open(url: $0) }
            ?? FileLog.open(directory: directory + "/log", options: FileLogOptions(fsync: fsync))
        do {
            let runner = try ProjectionRunner(directory: directory + "/projections", log: log, projectors: projectors)
            return Ledger(log: log, clock: clock, ids: ids, artifacts: artifacts ?? LocalArtifactStore(directory: directory + "/artifacts"),
                          projections: runner, directory: directory)
        } catch {
            try? log.close()
            throw error
        }
    }

    /// A ledger held in memory: the same rules, the same hashes, no disk.
    public static func inMemory(
        clock: any LedgerClock, ids: any IdGenerator, projectors: [any Projector] = ReadModels.all
    ) throws -> Ledger {
        let log = MemoryLog()
        return Ledger(log: log, clock: clock, ids: ids, artifacts: MemoryArtifactStore(),
                      projections: try ProjectionRunner(directory: nil, log: log, projectors: projectors), directory: nil)
    }

    private init(log: any LogStore, clock: any LedgerClock, ids: any IdGenerator, artifacts: any ArtifactStore, projections: ProjectionRunner,
                 directory: String?) {
        self.directory = directory
        self.log = log
        self.clock = clock
        self.ids = ids
        self.artifacts = artifacts
        self.projections = projections
    }

    // MARK: - Writing

    /// Appends one event, stamped by the ledger's clock, with an id from its generator unless given.
    @discardableResult
    public func append(
        type: String, stream: String, schemaVersion: Int = 1, payload: JSONValue, id: String? = nil,
        expecting expected: ExpectedVersion = .any, correlationId: String? = nil, causationId: String? = nil
    ) throws -> AppendResult {
        let draft = EventDraft(
            id: id ?? ids.next(), type: type, schemaVersion: schemaVersion, stream: stream, timestampMs: clock.nowMilliseconds(),
            correlationId: correlationId, causationId: causationId, payload: payload.canonicalBytes)
        // Only events the catalog knows, in its current version, with a payload that fits its schema.
        try EventCatalog.check(draft)
        return try log.append([draft], expectations: expected == .any ? [:] : [stream: expected])
    }

    /// Appends drafts as one atomic append; each must be a current catalog event that fits its
    /// schema (`EventCatalog.check`), or nothing is appended.
    @discardableResult
    public func append(_ drafts: [EventDraft], expectations: [String: ExpectedVersion] = [:]) throws -> AppendResult {
        for draft in drafts { try EventCatalog.check(draft) }
        return try log.append(drafts, expectations: expectations)
    }

    // MARK: - Read models

    /// Folds every new event into the read models. Returns how many events were read.
    @discardableResult
    public func project() throws -> Int { try projections.catchUp() }

    /// Reads a read model (by projector name), after folding every new event into it.
    public func query<Result>(_ readModel: String, _ body: (Database) throws -> Result) throws -> Result {
        try projections.catchUp()
        return try projections.read(readModel, body)
    }

    /// Reads market memory (the asset universe, categories, each asset's latest data), after
    /// folding every new event into it.
    public func marketMemory<Result>(_ body: (AssetMemory) throws -> Result) throws -> Result {
        try projections.catchUp()
        return try projections.withAssetMemory(body)
    }

    /// One hash over every read model's rows (in primary-key order): equal hashes, equal read models.
    public func stateHash() throws -> String {
        try projections.catchUp()
        return StateHash.overall(of: try projections.stateHashes())
    }

    /// Rebuilds every read model from the log and compares it with the live one; throws
    /// `ProjectionError.replayMismatch` naming the first differing table and row.
    public func verifyReplay() throws {
        try projections.verifyReplay()
    }

    /// The log's head: last sequence and head hash.
    public var head: LogHead { get throws { try log.head } }

    /// Writes what is pending and releases the ledger.
    public func close() throws {
        try artifacts.flush()
        try projections.close()
        try log.close()
    }
}

extension Ledger {
    /// Appends a catalog event, stamped by the ledger's clock.
    @discardableResult
    public func append<Event: CatalogEvent>(_ event: Event, stream: String, id: String? = nil,
                                            expecting expected: ExpectedVersion = .any) throws -> AppendResult {
        let draft = try event.draft(id: id ?? ids.next(), stream: stream, timestampMs: clock.nowMilliseconds())
        try EventCatalog.check(draft)
        return try log.append([draft], expectations: expected == .any ? [:] : [stream: expected])
    }

    /// Every event of a stream, decoded into its current catalog version.
    public func events(stream: String) throws -> [any CatalogEvent] {
        try log.read(stream: stream).map { try EventCatalog.decode($0) }
    }
}
