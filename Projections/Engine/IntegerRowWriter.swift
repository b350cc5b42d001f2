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
    /// The multi-row statement, made when a first full set of rows waits (a fold of a few rows,
    /// as a market view's each minute, never spells it out).
    private var multi: Statement?
    private let head: String
    private let tuple: String
    private let suffix: String
    private let columns: Int
    private let rowsPerStatement: Int
    private var buffer: [Int64] = []

    init(_ db: Database, table: String, columns: [String], suffix: String = "", rowsPerStatement: Int = 64) throws {
        self.db = db
        self.columns = columns.count
        self.rowsPerStatement = rowsPerStatement
        self.suffix = suffix
        tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        single = try db.cachedStatement(sql: head + tuple + " " + suffix)
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
        guard buffer.count == columns * rowsPerStatement else { return }
        if multi == nil {
            multi = try db.cachedStatement(sql: head + Array(repeating: tuple, count: rowsPerStatement).joined(separator: ", ") + " " + suffix)
        }
        try write(multi!, from: 0, rows: rowsPerStatement)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes the rows still waiting.
    mutating func finish() throws {
        for row in 0..<(buffer.count / columns) { try write(single, from: row * columns, rows: 1) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func write(_ statement: Statement, from start: Int, rows: Int) throws {
        let count = rows * columns
        try buffer.withUnsafeBufferPointer { values in
            try SQLiteBinder.run(statement, db) { raw in
                for offset in 0..<count { sqlite3_bind_int64(raw, Int32(offset + 1), values[start + offset]) }
            }
        }
    }
}
