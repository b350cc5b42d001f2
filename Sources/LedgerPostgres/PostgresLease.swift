import Foundation
import Logging
import PostgresNIO

/// One process manager of a kind at a time on a log on PostgreSQL: a session advisory lock held
/// on a connection of its own. A second one waits as a standby and takes over when the holder's
/// session ends (its process stopped, died or lost the server). A holder whose connection ends has
/// lost the lock — another may already hold it — so `check()` then throws and the holder stops.
public final class PostgresLease: @unchecked Sendable {
    public let name: String
    private let location: PostgresLocation
    private let connection: PostgresConnection
    private let logger: Logger
    private var released = false

    private init(name: String, location: PostgresLocation, connection: PostgresConnection, logger: Logger) {
        self.name = name
        self.location = location
        self.connection = connection
        self.logger = logger
    }

    /// Takes the lease named `name` on the log at `location`, waiting while another holds it:
    /// `waiting` hears once who holds it; returns nil if `shouldStop` says so first.
    public static func take(_ name: String, on location: PostgresLocation, waiting: (String) -> Void, shouldStop: () -> Bool) throws -> PostgresLease? {
        var logger = Logger(label: "clash.postgres.lease")
        logger.logLevel = .critical
        let key = "clash.lease.\(location.schema).\(name)"
        var said = false
        while !shouldStop() {
            let connection = try PostgresLog.connect(location, logger: logger)
            let lease = PostgresLease(name: name, location: location, connection: connection, logger: logger)
            do {
                _ = try lease.query("SET application_name = \(unescaped: "'clash \(name)'")", "the lease (its name)")
                let rows = try lease.query("SELECT pg_try_advisory_lock(hashtext(\(key))::int8)", "the lease")
                if try rows.first?.decode(Bool.self) == true { return lease }
                if !said {
                    let holder = try lease.query("""
                        SELECT a.pid, coalesce(a.client_addr::text, 'local'), a.backend_start::text FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                        WHERE l.locktype = 'advisory' AND l.granted AND l.objid::int8 = (hashtext(\(key))::int8 & 4294967295)
                        """, "the lease (its holder)").first.map { try $0.decode((Int32, String, String).self) }
                    waiting("another \(name) holds the lease on \(location)" + (holder.map { " (PostgreSQL session \($0.0) from \($0.1), since \($0.2))" } ?? "")
                            + "; this one waits as a standby and takes over when that one stops")
                    said = true
                }
            } catch {
                lease.release()
                throw error
            }
            lease.release()
            for _ in 0..<10 where !shouldStop() { Thread.sleep(forTimeInterval: 0.1) }
        }
        return nil
    }

    /// Throws when the lease is no longer held (its session ended): the holder must stop, since
    /// another may have taken over.
    public func check() throws {
        do {
            _ = try query("SELECT 1", "the lease (checking it)")
        } catch {
            throw PostgresLogError.leaseLost(name: name, location: location.description, reason: "\(error)")
        }
    }

    /// Gives the lease up (ending its session), so a standby takes over at once.
    public func release() {
        guard !released else { return }
        released = true
        _ = try? PostgresLog.waitBounded(connection.close(), seconds: 5)
    }

    deinit { release() }

    private func query(_ query: PostgresQuery, _ operation: String) throws -> [PostgresRow] {
        try PostgresLog.run(query, on: connection, location: location, logger: logger, operation)
    }
}
