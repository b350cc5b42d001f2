import GRDB
import LedgerLog

/// One row a query answers: its columns in the query's order, each value as JSON holds it (a wei
/// amount stays its decimal string, a time its milliseconds). A table shows `columns` in order;
/// a program takes `canonicalJSON` (keys sorted).
public struct QueryRow: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public var name: String
        public var value: JSONValue
    }

    public var columns: [Column]

    public subscript(_ name: String) -> JSONValue? { columns.first { $0.name == name }?.value }

    /// The text of a column (nil when absent or not text).
    public func string(_ name: String) -> String? {
        if case .string(let text)? = self[name] { return text }
        return nil
    }

    /// The integer of a column (nil when absent, null or not an integer).
    public func int(_ name: String) -> Int64? {
        if case .integer(let digits)? = self[name] { return Int64(digits) }
        return nil
    }

    /// The row as one canonical JSON object, keys sorted (a fractional number as its text).
    public var canonicalJSON: [UInt8] {
        var writer = CanonicalJSONWriter()
        writer.beginObject()
        for column in columns.sorted(by: { $0.name < $1.name }) {
            writer.key(column.name)
            if case .decimal(let text) = column.value { writer.string(text) } else { column.value.write(to: &writer) }
        }
        writer.endObject()
        return writer.bytes
    }

    /// Every row of `sql` on `db`.
    static func fetchAll(_ db: Database, _ sql: String, _ arguments: StatementArguments = []) throws -> [QueryRow] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            QueryRow(columns: row.columnNames.map { name in
                let value: JSONValue = switch (row[name] as DatabaseValue).storage {
                case .null: .null
                case .int64(let number): .integer(String(number))
                case .double(let number): .decimal(String(number))
                case .string(let text): .string(text)
                case .blob(let data): .string(Hex.encode(Array(data)))
                }
                return Column(name: name, value: value)
            })
        }
    }
}
