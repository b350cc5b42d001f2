import Foundation
import GRDB
import GRDBSQLite

/// Raw `sqlite3_bind_*` on GRDB's cached statements: the hot loops of folds bind and step
/// directly (several times faster than building records or argument arrays).
enum SQLiteBinder {
    /// Binds with `bind`, steps once, and resets the statement; throws SQLite's error.
    static func run(_ statement: Statement, _ db: Database, _ bind: (OpaquePointer) -> Void) throws {
        let raw = statement.sqliteStatement
        sqlite3_reset(raw)
        bind(raw)
        let code = sqlite3_step(raw)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                sql: statement.sql)
        }
        sqlite3_reset(raw)
    }

    /// Binds with `bind`, then calls `row` for each row the statement returns; resets it after.
    static func query(_ statement: Statement, _ db: Database, _ bind: (OpaquePointer) -> Void, row: (OpaquePointer) -> Void) throws {
        let raw = statement.sqliteStatement
        sqlite3_reset(raw)
        bind(raw)
        defer { sqlite3_reset(raw) }
        while true {
            let code = sqlite3_step(raw)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                    sql: statement.sql)
            }
            row(raw)
        }
    }

    /// The rows a statement returns, each made by `row`, with raw binds and column reads.
    static func rows<T>(_ statement: Statement, _ db: Database, _ bind: (OpaquePointer) -> Void = { _ in },
                        _ row: (OpaquePointer) -> T) throws -> [T] {
        var rows: [T] = []
        try query(statement, db, bind) { rows.append(row($0)) }
        return rows
    }

    /// The first row a statement returns, made by `row`, or nil when it returns none.
    static func first<T>(_ statement: Statement, _ db: Database, _ bind: (OpaquePointer) -> Void = { _ in },
                         _ row: (OpaquePointer) -> T) throws -> T? {
        let raw = statement.sqliteStatement
        sqlite3_reset(raw)
        bind(raw)
        defer { sqlite3_reset(raw) }
        let code = sqlite3_step(raw)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                sql: statement.sql)
        }
        return row(raw)
    }

    /// An integer column, nil when NULL.
    static func int(_ statement: OpaquePointer, _ column: Int32) -> Int64? {
        sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, column)
    }

    /// A text column ("" when NULL).
    static func text(_ statement: OpaquePointer, _ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        return String(cString: bytes)
    }

    /// Binds a string as text, copied by SQLite.
    static func bind(_ statement: OpaquePointer, _ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            _ = utf8.withMemoryRebound(to: CChar.self) { chars in
                sqlite3_bind_text(statement, index, chars.baseAddress, Int32(chars.count), Self.transient)
            }
        }
    }

    /// SQLite's SQLITE_TRANSIENT: copy the bytes now.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
