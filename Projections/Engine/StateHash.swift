import Crypto
import Foundation
import GRDB
import LedgerLog

/// A SHA-256 per table over every row in primary-key order, and one over all tables: equal hashes
/// mean byte-identical read models, whatever machine built them.
public struct StateHash: Sendable, Equatable {
    /// Table name to hash (hex), for every table but the projection bookkeeping.
    public var tables: [String: String]
    public var overall: String

    /// Hashes every table of the database in `queue`.
    static func compute(_ db: Database) throws -> StateHash {
        var tables: [String: String] = [:]
        for table in try userTables(db) {
            var hasher = SHA256()
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(table.sqlIdentifier) ORDER BY \(try orderBy(db, table))")
            while let row = try cursor.next() { hasher.update(data: encode(row)) }
            tables[table] = ChainHash(bytes: Array(hasher.finalize())).hex
        }
        var overall = SHA256()
        for name in tables.keys.sorted() { overall.update(data: Data("\(name)=\(tables[name]!)\n".utf8)) }
        return StateHash(tables: tables, overall: ChainHash(bytes: Array(overall.finalize())).hex)
    }

    /// One hash over several read models' overall hashes, in name order: the ledger's state hash.
    public static func overall(of hashes: [String: StateHash]) -> String {
        let text = hashes.keys.sorted().map { "\($0)=\(hashes[$0]!.overall)\n" }.joined()
        return ChainHash.genesis.next(Array(text.utf8)).hex
    }

    static func userTables(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != ? ORDER BY name
            """, arguments: [ReadModel.metaTable])
    }

    /// The primary-key columns in key order, or every column when the table has no key.
    static func orderBy(_ db: Database, _ table: String) throws -> String {
        let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table.sqlIdentifier))")
        let keys = columns.filter { ($0["pk"] as Int) > 0 }.sorted { ($0["pk"] as Int) < ($1["pk"] as Int) }
        let chosen = keys.isEmpty ? columns : keys
        return chosen.map { ($0["name"] as String).sqlIdentifier }.joined(separator: ", ")
    }

    /// A row's bytes: per column a type tag, then the value (integers as 8 little-endian bytes,
    /// text and blobs with their length).
    static func encode(_ row: Row) -> Data {
        var data = Data()
        for value in row.databaseValues {
            switch value.storage {
            case .null:
                data.append(0)
            case .int64(let integer):
                data.append(1)
                withUnsafeBytes(of: integer.littleEndian) { data.append(contentsOf: $0) }
            case .double(let double):
                data.append(2)
                withUnsafeBytes(of: double.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            case .string(let text):
                data.append(3)
                let bytes = Array(text.utf8)
                withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { data.append(contentsOf: $0) }
                data.append(contentsOf: bytes)
            case .blob(let blob):
                data.append(4)
                withUnsafeBytes(of: UInt32(blob.count).littleEndian) { data.append(contentsOf: $0) }
                data.append(blob)
            }
        }
        return data
    }

    /// The first row at which two tables differ, described by its key columns.
    static func firstDifference(_ table: String, live: Database, replayed: Database) throws -> String {
        let order = try orderBy(live, table)
        let sql = "SELECT * FROM \(table.sqlIdentifier) ORDER BY \(order)"
        let left = try Row.fetchCursor(live, sql: sql)
        let right = try Row.fetchCursor(replayed, sql: sql)
        var index = 0
        while true {
            let a = try left.next()
            let b = try right.next()
            if a == nil && b == nil { return "no differing row found" }
            if a != b {
                return "row \(index) (ordered by \(order)): live \(a.map { "\($0)" } ?? "none"), replayed \(b.map { "\($0)" } ?? "none")"
            }
            index += 1
        }
    }
}

extension String {
    /// The name quoted as an SQL identifier.
    var sqlIdentifier: String { "\"" + replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
