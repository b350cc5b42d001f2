import Crypto
import Foundation
import PostgresNIO

/// The log's schema as versioned SQL files (`Migrations/NNNN_name.sql`), applied in order on first
/// use, each in its own transaction with its SHA-256 recorded; a shipped file is never edited (a
/// changed one is refused), so every database that applied a version holds the same schema.
enum PostgresMigrations {
    struct Migration {
        var version: Int
        var name: String
        var sql: String
        var sha256: String
    }

    /// The migrations this build ships, in order.
    static func shipped() throws -> [Migration] {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw PostgresLogError.corrupt(sequence: 0, reason: "this build's migrations are missing")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }.sorted()
        return try files.map { file in
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            guard let version = Int(file.prefix { $0.isNumber }) else {
                throw PostgresLogError.corrupt(sequence: 0, reason: "migration file \(file) does not start with its version")
            }
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            return Migration(version: version, name: String(file.dropLast(4)), sql: String(decoding: data, as: UTF8.self), sha256: digest)
        }
    }

    /// Creates the schema if needed and applies what is missing, under an advisory lock so that
    /// processes opening the same log at once apply each migration once.
    static func apply(_ log: PostgresLog) throws {
        let schema = log.location.schema
        let migrations = try shipped()
        // Read first: a database that holds every shipped migration needs no write (a hot standby
        // takes none).
        if let applied = try? log.query(PostgresQuery(unsafeSQL: "SELECT version, sha256 FROM \(schema).schema_migrations"), "the migrations (reading them)")
            .map({ try $0.decode((Int, String).self) }) {
            let known = Dictionary(applied, uniquingKeysWith: { first, _ in first })
            if known.count == migrations.count, migrations.allSatisfy({ known[$0.version] == $0.sha256 }) { return }
        }
        try log.transaction("the migrations") {
            try log.query("SELECT pg_advisory_xact_lock(hashtext(\("clash.migrations." + schema)))", "the migrations (their lock)")
            try log.execute("""
                CREATE SCHEMA IF NOT EXISTS \(schema);
                CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL)
                """, "the migrations (their table)")
            var applied: [Int: (name: String, sha256: String)] = [:]
            for row in try log.query("SELECT version, name, sha256 FROM schema_migrations", "the migrations (reading them)") {
                let (version, name, sha256) = try row.decode((Int, String, String).self)
                applied[version] = (name, sha256)
            }
            if let newest = applied.keys.max(), newest > migrations.last?.version ?? 0 {
                throw PostgresLogError.schemaTooNew(applied: newest, known: migrations.last?.version ?? 0)
            }
            for migration in migrations {
                if let done = applied[migration.version] {
                    guard done.sha256 == migration.sha256 else { throw PostgresLogError.migrationChanged(version: migration.version, name: migration.name) }
                    continue
                }
                try log.execute(migration.sql, "migration \(migration.name)")
                try log.query("INSERT INTO schema_migrations (version, name, sha256) VALUES (\(migration.version), \(migration.name), \(migration.sha256))",
                              "migration \(migration.name) (recording it)")
            }
        }
    }
}
