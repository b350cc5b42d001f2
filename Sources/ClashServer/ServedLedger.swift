import Audit
import Clash
import Crypto
import Foundation
import Transparency

/// The data directory as the server serves it: one `ReadOnlyLedger` that answers reads, caught up
/// with the log before each answer, and — unless the server only reads — the directory's one
/// writing `Ledger`, which holds the log's writer lock for as long as the server runs. One request
/// at a time uses them (a ledger is confined to one thread).
final class ServedLedger: @unchecked Sendable {
    private let lock = NSLock()
    private let ledger: ReadOnlyLedger
    private let writer: Ledger?
    /// Where strategy graphs are read from (the writer's store, or the directory's).
    let artifacts: any ArtifactStore
    /// Public answers at the current head.
    let cache = AnswerCache()
    /// The log's Merkle tree: the sidecar read (never written), the rest hashed in memory.
    private let tree: LogTree
    private let headKey: Curve25519.Signing.PrivateKey?

    /// `writable`: take the log's writer lock (creating the log when there is none) so that the
    /// server's commands are the directory's only writes.
    /// `clock` and `ids` stamp what the server writes (a simulated season's are its own).
    init(directory: String, headKey: Curve25519.Signing.PrivateKey?, writable: Bool, clock: any LedgerClock = SystemClock(),
         ids: any IdGenerator = RandomIds()) throws {
        writer = writable ? try Ledger.open(directory: directory, clock: clock, ids: ids) : nil
        ledger = try ReadOnlyLedger.open(directory: directory)
        artifacts = writer?.artifacts ?? LocalArtifactStore(directory: directory + "/artifacts")
        tree = try LogTree(log: ledger.log, directory: directory + "/tree", readOnly: true)
        self.headKey = headKey
    }

    /// The tree caught up with the log's head; `size` (default: the whole log) checked against it.
    private func treeSize(_ size: UInt64?) throws -> UInt64 {
        try tree.catchUp()
        guard let size else { return tree.size }
        guard size <= tree.size else { throw TreeError.badSize(requested: size, available: tree.size) }
        return size
    }

    /// `{"root_hash", "tree_size"}` of the tree of the first `size` events, as `clash log root` prints it.
    func root(size: UInt64?) throws -> [UInt8] {
        try withTree(size: size) { tree, size, json in json.raw(try tree.rootJSON(size: size)) }
    }

    /// An inclusion proof of event `sequence` in the tree of `size` events, as `clash log prove` prints it.
    func inclusion(sequence: UInt64, size: UInt64?) throws -> [UInt8] {
        try withTree(size: size) { tree, size, json in try InclusionProof(tree: tree, sequence: sequence, size: size).write(to: &json) }
    }

    /// A consistency proof from the tree of `first` events to the tree of `second`.
    func consistency(first: UInt64, second: UInt64?) throws -> [UInt8] {
        try withTree(size: second) { tree, second, json in
            guard first <= second else { throw TreeError.badSize(requested: first, available: second) }
            try ConsistencyProof(tree: tree, from: first, to: second).write(to: &json)
        }
    }

    /// The derivation of a ticket's payout or refund, as `clash dispute ticket --json` prints it.
    func ticketDispute(_ ticketId: String) throws -> [UInt8] {
        try withTree(size: nil) { tree, _, json in DisputeJSON.write(try Dispute.ticket(ticketId, log: ledger.log, tree: tree), to: &json) }
    }

    /// The derivation of a race's whole settlement (or refunds), as `clash dispute race --json` prints it.
    func raceDispute(_ raceId: String) throws -> [UInt8] {
        try withTree(size: nil) { tree, _, json in DisputeJSON.write(try Dispute.race(raceId, log: ledger.log, tree: tree), to: &json) }
    }

    /// JSON written under the lock with the tree caught up with the log's head and `size` (default:
    /// the whole log) checked against it.
    private func withTree(size: UInt64?, _ write: (LogTree, UInt64, inout CanonicalJSONWriter) throws -> Void) throws -> [UInt8] {
        try lock.withLock {
            let size = try treeSize(size)
            var json = CanonicalJSONWriter()
            try write(tree, size, &json)
            return json.bytes
        }
    }

    /// The signed tree head of the whole log, as `clash log sign-head` prints it (stamped with the
    /// last event's time, so the same log gives the same head); nil without a head key.
    func signedHead() throws -> [UInt8]? {
        guard let headKey else { return nil }
        return try withTree(size: nil) { tree, size, json in
            try SignedTreeHead(head: try tree.head(size: size, log: ledger.log), key: headKey).write(to: &json)
        }
    }

    /// A clone as `audience` may see it (the strategy for its owner or an operator), as JSON.
    func clone(_ cloneId: String, as audience: CloneAudience) throws -> [UInt8] {
        try lock.withLock { try ledger.queries.clone(cloneId, as: audience, artifacts: artifacts).canonicalJSON() }
    }

    /// A race re-run from the log and the artifact store and compared, as `clash race audit --json`
    /// prints it; `audit.cannot_audit` (409) for a race that cannot be audited yet.
    func audit(_ raceId: String) throws -> [UInt8] {
        try lock.withLock {
            _ = try ledger.queries.race(raceId)
            let report: RaceAuditReport
            do {
                report = try ledger.auditRace(raceId, artifacts: artifacts)
            } catch {
                throw Problem(.conflict, "audit.cannot_audit", "race \(raceId) cannot be audited: \(error)")
            }
            var json = CanonicalJSONWriter()
            report.write(to: &json)
            return json.bytes
        }
    }

    /// What a clone did and would do (`CloneActivity`), read from the log under the lock.
    func activity<Result>(_ body: (any LogReading, any ArtifactStore) throws -> Result) throws -> Result {
        try lock.withLock {
            try ledger.log.refresh()
            return try body(ledger.log, artifacts)
        }
    }

    /// Each racer's marked equity per minute of a race.
    func raceEquity(_ raceId: String) throws -> [UInt8] {
        try lock.withLock { try ledger.raceEquity(raceId).canonicalJSON }
    }

    func query<Result>(_ body: (Queries) throws -> Result) throws -> Result {
        try lock.withLock { try body(ledger.queries) }
    }

    /// Each read model's lag behind the log's head, events, by name.
    func projectionLag() throws -> [(name: String, lag: UInt64)] {
        try lock.withLock { try ledger.projectionStatus().map { ($0.name, $0.lag) } }
    }

    /// The log's last sequence.
    func headSequence() throws -> UInt64 {
        try lock.withLock {
            try ledger.log.refresh()
            return try ledger.log.head.sequence
        }
    }

    /// The log's records from `sequence` on, at most `limit`, exactly as stored.
    func records(from sequence: UInt64, limit: Int) throws -> [LogRecord] {
        try lock.withLock {
            try ledger.log.refresh()
            return try ledger.log.read(from: max(1, sequence), limit: limit)
        }
    }

    /// Runs a command on the writing ledger, then folds what it wrote into the read models on disk;
    /// `server.read_only` (503) on a server that only reads.
    func write<Result>(_ body: (Ledger) throws -> Result) throws -> Result {
        try lock.withLock {
            guard !seasonPlaying else {
                throw Problem(.serviceUnavailable, "server.season_playing", "a simulated season is playing; this server takes no writes until it has played")
            }
            guard let writer else {
                throw Problem(.serviceUnavailable, "server.read_only", "this server only reads (--read-only); send writes to the arena's writing server")
            }
            let result = try body(writer)
            try writer.project()
            // What this server wrote is read back at once, never from an answer kept before it.
            cache.moved(to: try writer.log.head.sequence)
            return result
        }
    }

    /// While a simulated season plays on the writing ledger, no request writes.
    private var seasonPlaying = false

    /// Plays `season` on the writing ledger (outside the request lock: requests read through the
    /// reader meanwhile); writes are refused until it has played.
    func play(_ season: SimulatedSeason, shouldStop: @escaping () -> Bool, progress: @escaping (String) -> Void) throws {
        guard let writer else { return }
        lock.withLock { seasonPlaying = true }
        defer { lock.withLock { seasonPlaying = false } }
        try season.play(writer, shouldStop: shouldStop, progress: progress)
        cache.moved(to: try writer.log.head.sequence)
    }

    /// Tells a command that tries to write the directory beside the server where the server is.
    func announce(_ url: String) { (writer?.log as? FileLog)?.announceWriter("clash serve at \(url)") }

    func close() {
        lock.withLock {
            try? ledger.close()
            try? writer?.close()
        }
    }
}
