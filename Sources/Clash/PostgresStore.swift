import Foundation
import LedgerPostgres

/// The log on PostgreSQL as clash opens it for its commands, its server and its workers: when the
/// server restarts or drops the connection, a call reconnects and is retried (idempotently) for up
/// to a minute, each attempt reported on standard error; after that the call fails with the error.
public enum PostgresStore {
    public static let reconnectSeconds: Double = 60

    public static func open(url: String) throws -> PostgresLog {
        try PostgresLog.open(url: url, reconnect: .within(reconnectSeconds) { error, attempt in
            FileHandle.standardError.write(Data("warning: \(error) — reconnecting (attempt \(attempt), for up to \(Int(reconnectSeconds)) s)\n".utf8))
        })
    }
}
