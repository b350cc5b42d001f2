import LedgerLog
import LedgerPostgres

/// One process manager of a kind (the arena scheduler, the runtime worker) at a time. On a file log
/// the data directory's one writer already guarantees it; on PostgreSQL, where many processes may
/// write, a `PostgresLease` does: a second one waits as a standby and takes over when the first
/// stops, and a holder that loses its lease stops.
public struct ManagerLease {
    private let lease: PostgresLease?

    /// Takes the lease (at once on a file log); nil when `shouldStop` says so while waiting.
    public static func take(_ name: String, log: any LogReading, note: (String) -> Void, shouldStop: () -> Bool) throws -> ManagerLease? {
        guard let postgres = log as? PostgresLog else { return ManagerLease(lease: nil) }
        var waited = false
        guard let lease = try PostgresLease.take(name, on: postgres.location, waiting: { waited = true; note($0) }, shouldStop: shouldStop) else { return nil }
        if waited { note("this \(name) took over the lease on \(postgres.location)") }
        return ManagerLease(lease: lease)
    }

    /// Throws when the lease was lost.
    public func check() throws { try lease?.check() }

    public func release() { lease?.release() }
}
