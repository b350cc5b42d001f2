import GRDB
import Projections

/// The read models' questions, answered as of the log's head: what every front end shows — the
/// command line prints them, a server serves them. Each reads one read model, folded first.
public struct Queries {
    let access: any ReadModelAccess

    /// The escape hatch: any SQL on one read model (by projector name), for tools and one-off
    /// questions; the named queries are the supported ones (their columns are kept across versions).
    public func rows(_ readModel: String, sql: String, arguments: [String] = []) throws -> [QueryRow] {
        try access.read(readModel) { db in try QueryRow.fetchAll(db, sql, StatementArguments(arguments)) }
    }
}

/// What can answer a query: the read models of a ledger, writable or read-only, caught up first.
protocol ReadModelAccess {
    func read<Result>(_ readModel: String, _ body: (Database) throws -> Result) throws -> Result
    func marketMemory<Result>(_ body: (AssetMemory) throws -> Result) throws -> Result
}

extension Ledger: ReadModelAccess {
    func read<Result>(_ readModel: String, _ body: (Database) throws -> Result) throws -> Result { try query(readModel, body) }

    /// The read models' questions (`Queries`), answered as of the log's head.
    public var queries: Queries { Queries(access: self) }
}
