import ArgumentParser
import Foundation
import GRDB
import LedgerLog

/// Rows for people or for programs: an aligned table on a terminal, JSON lines otherwise or with
/// `--json` (keys in order, as canonical JSON).
struct ReportOptions: ParsableArguments {
    @Flag(help: "JSON lines instead of a table (the default when standard output is not a terminal).") var json = false

    var asTable: Bool { !json && isatty(STDOUT_FILENO) != 0 }

    /// Prints `rows` (each a list of column name and value) under `title` when a table.
    func print(_ rows: [[(String, DatabaseValue)]], title: String? = nil) {
        if asTable {
            if let title { Output.line(title) }
            Report.table(rows)
        } else {
            for row in rows { Output.line(Report.json(row)) }
        }
    }
}

enum Report {
    /// The rows of a query, columns in the query's order.
    static func rows(_ db: Database, _ sql: String, _ arguments: StatementArguments = []) throws -> [[(String, DatabaseValue)]] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in row.columnNames.map { ($0, row[$0] as DatabaseValue) } }
    }

    static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "-"
        case .int64(let number): String(number)
        case .double(let number): String(number)
        case .string(let string): string
        case .blob(let data): data.map { String(format: "%02x", $0) }.joined()
        }
    }

    static func json(_ row: [(String, DatabaseValue)]) -> [UInt8] {
        var writer = CanonicalJSONWriter()
        writer.beginObject()
        for (name, value) in row.sorted(by: { $0.0 < $1.0 }) {
            writer.key(name)
            switch value.storage {
            case .null: writer.null()
            case .int64(let number): writer.int(number)
            case .double(let number): writer.string(String(number))
            case .string(let string): writer.string(string)
            case .blob(let data): writer.string(data.base64EncodedString())
            }
        }
        writer.endObject()
        return writer.bytes
    }

    static func table(_ rows: [[(String, DatabaseValue)]]) {
        guard let first = rows.first else {
            Output.line("(none)")
            return
        }
        let names = first.map(\.0)
        let cells = rows.map { $0.map { text($0.1) } }
        let widths = names.indices.map { column in max(names[column].count, cells.map { $0[column].count }.max() ?? 0) }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        Output.line(line(names))
        Output.line(line(widths.map { String(repeating: "-", count: $0) }))
        for row in cells { Output.line(line(row)) }
    }
}
