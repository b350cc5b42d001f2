import Foundation
import LedgerPostgres

/// The PostgreSQL server the tests use: `CLASH_TEST_POSTGRES` (tools/test starts one and sets it);
/// each test gets a schema of its own.
enum PostgresTestServer {
    static var url: String? { ProcessInfo.processInfo.environment["CLASH_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 } }

    /// A log in a new, empty schema.
    static func freshLog() throws -> PostgresLog {
        try PostgresLog.open(url: freshURL())
    }

    static func freshURL() -> String {
        url! + "?schema=t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
    }
}
