import ArgumentParser
import Foundation
import GRDB
import LedgerLog

/// Rows for people or for programs: an aligned table on a terminal (values shown in their units by
/// `Humanize`), JSON lines otherwise or with `--json` (keys in order, as canonical JSON, every value
/// as stored). `--table` asks for the table when standard output is not a terminal.
struct ReportOptions: ParsableArguments {
    @Flag(help: "JSON lines instead of a table (the default when standard output is not a terminal).") var json = false
    @Flag(help: "A table even when standard output is not a terminal.") var table = false

    var asTable: Bool { !json && (table || isatty(STDOUT_FILENO) != 0) }

    /// Prints `rows` (each a list of column name and value) under `title` when a table.
    func print(_ rows: [[(String, DatabaseValue)]], title: String? = nil) {
        if asTable {
            if let title { Output.line(title) }
            let values = rows.map { $0.map { (key: $0.0, value: Report.value($0.1)) } }
            if values.count == 1 { Report.details(values[0]) } else { Report.table(values.map { $0.map { ($0.key, $0.value) } }) }
        } else {
            for row in rows { Output.line(Report.json(row)) }
        }
    }

    /// Prints JSON objects (one per line as programs get them): a table on a terminal — one object
    /// as a list of its fields, several as rows.
    func print(objects lines: [[UInt8]], title: String? = nil) throws {
        guard asTable else {
            for line in lines { Output.line(line) }
            return
        }
        if let title { Output.line(title) }
        let objects = try lines.map { try JSONValue.parse($0, allowingDecimals: true) }
        if objects.count == 1, case .object(let members) = objects[0] {
            Report.details(members)
        } else {
            Report.table(objects.map { object in
                if case .object(let members) = object { return members.map { ($0.key, $0.value) } }
                return [("value", object)]
            })
        }
    }
}

enum Report {
    /// The rows of a query, columns in the query's order.
    static func rows(_ db: Database, _ sql: String, _ arguments: StatementArguments = []) throws -> [[(String, DatabaseValue)]] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in row.columnNames.map { ($0, row[$0] as DatabaseValue) } }
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

    /// A read model's value as JSON's (a wei amount stays its decimal string).
    static func value(_ value: DatabaseValue) -> JSONValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(String(number))
        case .double(let number): .decimal(String(number))
        case .string(let string): .string(string)
        case .blob(let data): .string(data.map { String(format: "%02x", $0) }.joined())
        }
    }

    /// Rows as an aligned table, the columns of every row in first-seen order, each value in its unit.
    static func table(_ rows: [[(String, JSONValue)]]) {
        guard !rows.isEmpty else {
            Output.line("(none)")
            return
        }
        var names: [String] = []
        let cells = rows.map { row -> [String: String] in
            var cells: [String: String] = [:]
            for (name, value) in row {
                for (header, text) in Humanize.cells(name, value) {
                    if !names.contains(header) { names.append(header) }
                    cells[header] = text
                }
            }
            return cells
        }
        let widths = names.map { name in max(name.count, cells.map { ($0[name] ?? "").count }.max() ?? 0) }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        Output.line(line(names))
        Output.line(line(widths.map { String(repeating: "-", count: $0) }))
        for row in cells { Output.line(line(names.map { row[$0] ?? "" })) }
    }

    /// One object as a list of its fields (nested objects by dotted name); an array of objects
    /// (positions, payout lines) as a table of its own after the fields.
    static func details(_ members: [(key: String, value: JSONValue)]) {
        var fields: [(String, String)] = []
        var tables: [(String, [[(String, JSONValue)]])] = []
        func add(_ prefix: String, _ members: [(key: String, value: JSONValue)]) {
            for (key, value) in members {
                let name = prefix.isEmpty ? key : prefix + "." + key
                switch value {
                case .object(let inner) where !inner.isEmpty:
                    add(name, inner)
                case .array(let elements) where !elements.isEmpty && elements.allSatisfy({ if case .object = $0 { true } else { false } }):
                    tables.append((name, elements.map { if case .object(let row) = $0 { row.map { ($0.key, $0.value) } } else { [] } }))
                default:
                    fields += Humanize.cells(name, value)
                }
            }
        }
        add("", members)
        let width = fields.map(\.0.count).max() ?? 0
        for (name, text) in fields { Output.line(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + text) }
        for (name, rows) in tables {
            Output.line("")
            Output.line(name)
            table(rows)
        }
    }
}
