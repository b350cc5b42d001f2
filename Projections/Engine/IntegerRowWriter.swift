import Foundation
import GRDB
import GRDBSQLite

/// Writes rows of integers with multi-row `INSERT ... VALUES (...), (...), ...` statements: one
/// statement step per `rowsPerStatement` rows instead of one per row, the cheapest way to put
/// millions of rows through SQLite from a fold. `suffix` (an `ON CONFLICT ...` clause) applies
/// to every row, in order, as if each were inserted alone.
struct IntegerRowWriter {
    private let db: Database
    private let single: Statement
    private let multi: Statement
    private let columns: Int
    private let rowsPerStatement: Int
    private var buffer: [Int64] = []

    init(_ db: Database, table: String, columns: [String], suffix: String = "", rowsPerStatement: Int = 64) throws {
        self.db = db
        self.columns = columns.count
        self.rowsPerStatement = rowsPerStatement
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        single = try db.cachedStatement(sql: head + tuple + " " + suffix)
        multi = try db.cachedStatement(sql: head + Array(repeating: tuple, count: rowsPerStatement).joined(separator: ", ") + " " + suffix)
        buffer.reserveCapacity(columns.count * rowsPerStatement)
    }

    /// Adds one row of four columns.
    mutating func add(_ a: Int64, _ b: Int64, _ c: Int64, _ d: Int64) throws {
        precondition(columns == 4, "a row of 4 values for \(columns) columns")
        buffer.append(a); buffer.append(b); buffer.append(c); buffer.append(d)
        try rowAdded()
    }

    /// Adds one row of seven columns.
    mutating func add(_ a: Int64, _ b: Int64, _ c: Int64, _ d: Int64, _ e: Int64, _ f: Int64, _ g: Int64) throws {
        precondition(columns == 7, "a row of 7 values for \(columns) columns")
        buffer.append(a); buffer.append(b); buffer.append(c); buffer.append(d); buffer.append(e); buffer.append(f); buffer.append(g)
        try rowAdded()
    }

    private mutating func rowAdded() throws {
        if buffer.count == columns * rowsPerStatement { try write(multi, rows: rowsPerStatement) }
    }

    /// Writes the rows still waiting.
    mutating func finish() throws {
        while !buffer.isEmpty { try write(single, rows: 1) }
    }

    private mutating func write(_ statement: Statement, rows: Int) throws {
        let count = rows * columns
        try buffer.withUnsafeBufferPointer { values in
            try SQLiteBinder.run(statement, db) { raw in
                for offset in 0..<count { sqlite3_bind_int64(raw, Int32(offset + 1), values[offset]) }
            }
        }
        buffer.removeFirst(count)
    }
}
