import Foundation

/// Where a log on PostgreSQL lives: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME]`
/// (`postgresql://` too). The schema (default `clash`) holds the log's tables, so one database can
/// hold several logs.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var schema: String

    public static let defaultSchema = "clash"

    /// Parses a URL, or says what is wrong with it and what the form is.
    public init(url: String) throws(PostgresLogError) {
        let form = "postgres://USER@HOST:PORT/DATABASE[?schema=NAME]"
        guard let components = URLComponents(string: url), let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw .badLocation("\(url.debugDescription) is not a PostgreSQL URL; the form is \(form)")
        }
        guard let host = components.host, !host.isEmpty else { throw .badLocation("\(url) names no host; the form is \(form)") }
        guard let user = components.user, !user.isEmpty else { throw .badLocation("\(url) names no user; the form is \(form)") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw .badLocation("\(url) names no database; the form is \(form)") }
        let schema = components.queryItems?.first { $0.name == "schema" }?.value ?? Self.defaultSchema
        guard schema.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
            throw .badLocation("schema \(schema.debugDescription) in \(url) is not a lowercase SQL name (letters, digits, _)")
        }
        if let unknown = components.queryItems?.first(where: { $0.name != "schema" }) {
            throw .badLocation("\(url): the only parameter is schema, not \(unknown.name)")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user
        self.password = components.password
        self.database = database
        self.schema = schema
    }

    /// The URL without the password.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)" + (schema == Self.defaultSchema ? "" : "?schema=\(schema)")
    }

    /// Whether a `--store` value names PostgreSQL (rather than a directory).
    public static func isURL(_ value: String) -> Bool { value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") }
}
