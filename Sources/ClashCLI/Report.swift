import ArgumentParser
import Clash
import Foundation

/// Rows for people or for programs: an aligned table on a terminal (values shown in their units by
/// `Humanize`), JSON lines otherwise or with `--json` (keys in order, as canonical JSON, every value
/// as stored). `--table` asks for the table when standard output is not a terminal.
struct ReportOptions: ParsableArguments {
    @Flag(help: "JSON lines instead of a table (the default when standard output is not a terminal).") var json = false
    @Flag(help: "A table even when standard output is not a terminal.") var table = false

    var asTable: Bool { !json && (table || isatty(STDOUT_FILENO) != 0) }

    /// Prints a query's rows under `title` when a table (one row as a list of its fields).
    func print(_ rows: [QueryRow], title: String? = nil) {
        if asTable {
            if let title { Output.line(title) }
            let values = rows.map { $0.columns.map { (key: $0.name, value: $0.value) } }
            if values.count == 1 { Report.details(values[0]) } else { Report.table(values.map { $0.map { ($0.key, $0.value) } }) }
        } else {
            for row in rows { Output.line(row.canonicalJSON) }
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
