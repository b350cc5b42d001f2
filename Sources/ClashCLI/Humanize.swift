import Foundation
import LedgerLog

/// How a table shows a value to a person, by the unit its name ends in (the names events and read
/// models use): `_wei` as ETH beside the exact wei, `_ms` as an ISO 8601 UTC time, `_bp` as a
/// percentage, `_e12` (funding rates) as a percentage, `_e6` (USDC) and `_e8` (prices) as decimals
/// with their digits grouped. Exact: a
/// figure is only rescaled, never rounded (basis points show their two decimals as they are).
/// JSON output keeps every value as stored.
enum Humanize {
    /// The columns one named value becomes in a table: a header and its text (a wei amount gives two).
    static func cells(_ name: String, _ value: JSONValue) -> [(String, String)] {
        guard case .integer(let digits) = integerValue(value) else { return [(name, text(value))] }
        if let base = strip(name, "_wei") { return [(base + " (ETH)", decimal(digits, scale: 18, group: false) + " ETH"), (name, digits)] }
        let isTime = name == "ts" || name.hasSuffix(".ts")
        if let base = strip(name, "_ms") ?? (isTime ? String(name.dropLast(2)) + "time" : nil), let ms = Int64(digits), ms > 946_684_800_000 {
            return [(base + " (UTC)", iso8601(ms))]
        }
        if let base = strip(name, "_bp") { return [(base + " (%)", decimal(digits, scale: 2, group: false) + "%")] }
        if let base = strip(name, "_e12") { return [(base + " (%)", decimal(digits, scale: 10, group: false) + "%")] }
        if let base = strip(name, "_e6") { return [(base, decimal(digits, scale: 6, group: true))] }
        if let base = strip(name, "_e8") { return [(base, decimal(digits, scale: 8, group: true))] }
        if let base = strip(name, "_e2") { return [(base, decimal(digits, scale: 2, group: true))] }
        return [(name, digits)]
    }

    /// A wei amount stored as a decimal string counts as an integer here.
    static func integerValue(_ value: JSONValue) -> JSONValue {
        if case .string(let text) = value, !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return .integer(text) }
        return value
    }

    static func strip(_ name: String, _ suffix: String) -> String? {
        name.hasSuffix(suffix) && name.count > suffix.count ? String(name.dropLast(suffix.count)) : nil
    }

    /// The integer `digits` divided by 10^scale, exactly, trailing zeros of the fraction dropped;
    /// with `group`, thousands separated by commas.
    static func decimal(_ digits: String, scale: Int, group: Bool) -> String {
        let negative = digits.hasPrefix("-")
        var magnitude = negative ? String(digits.dropFirst()) : digits
        if magnitude.count <= scale { magnitude = String(repeating: "0", count: scale - magnitude.count + 1) + magnitude }
        var whole = String(magnitude.dropLast(scale))
        var fraction = String(magnitude.suffix(scale))
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if group {
            var grouped = ""
            for (index, character) in whole.reversed().enumerated() {
                if index > 0 && index % 3 == 0 { grouped.append(",") }
                grouped.append(character)
            }
            whole = String(grouped.reversed())
        }
        return (negative ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    static func iso8601(_ ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = ms % 1_000 == 0 ? [.withInternetDateTime] : [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1_000))
    }

    /// A value as one cell: text as it is, anything nested as compact JSON (shortened).
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return "-"
        case .string(let string): return string
        case .bool(let flag): return flag ? "yes" : "no"
        case .integer(let digits), .decimal(let digits): return digits
        case .array(let elements) where elements.isEmpty: return "-"
        case .array(let elements) where elements.allSatisfy({ if case .string = $0 { true } else { false } }):
            return elements.map(text).joined(separator: ", ")
        default:
            let compact = String(decoding: value.canonicalBytes, as: UTF8.self)
            return compact.count > 60 ? String(compact.prefix(57)) + "..." : compact
        }
    }
}
