import ClashCore
import Foundation

/// A Sign-In with Ethereum message (EIP-4361), parsed from the exact text the wallet signed.
///
///     ${domain} wants you to sign in with your Ethereum account:
///     ${address}
///
///     ${statement}
///
///     URI: ${uri}
///     Version: 1
///     Chain ID: ${chain-id}
///     Nonce: ${nonce}
///     Issued At: ${issued-at}
///     Expiration Time: ${expiration-time}      (optional)
///     Not Before: ${not-before}                (optional)
///     Request ID: ${request-id}                (optional)
///     Resources:                               (optional)
///     - ${uri}
///
/// The address must be written in its EIP-55 form, as the standard asks; times are RFC 3339.
public struct SiweMessage: Sendable, Equatable {
    public var scheme: String?
    public var domain: String
    public var address: Address
    public var statement: String?
    public var uri: String
    public var version: String
    public var chainId: Int
    public var nonce: String
    public var issuedAtMs: Int64
    public var expirationMs: Int64?
    public var notBeforeMs: Int64?
    public var requestId: String?
    public var resources: [String]
    /// The times as written, for messages that name them.
    public var issuedAt: String, expirationTime: String?, notBefore: String?

    static let preamble = " wants you to sign in with your Ethereum account:"

    public init(parsing text: String) throws(SignInError) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
        func next(_ what: String) throws(SignInError) -> String {
            guard let line = lines.popFirst() else { throw .badMessage("it ends before \(what)") }
            return line
        }
        let header = try next("the first line")
        guard header.hasSuffix(Self.preamble) else { throw .badMessage("the first line must end with \"\(Self.preamble.dropFirst())\"") }
        var origin = String(header.dropLast(Self.preamble.count))
        if let range = origin.range(of: "://") {
            scheme = String(origin[..<range.lowerBound])
            origin = String(origin[range.upperBound...])
        }
        guard !origin.isEmpty, !origin.contains(" ") else { throw .badMessage("the first line names no domain") }
        domain = origin
        let addressLine = try next("the address")
        do {
            address = try Address(addressLine)
        } catch {
            throw .badMessage("line 2: \(error)")
        }
        guard address.checksummed == addressLine else {
            throw .badMessage("line 2: EIP-4361 writes the address in its EIP-55 form, \(address.checksummed)")
        }
        guard try next("the blank line after the address").isEmpty else { throw .badMessage("line 3 must be blank") }
        // Either a statement and a blank line, or a blank line alone, before the fields.
        var line = try next("the URI")
        if line.isEmpty {
            statement = nil
        } else if !line.hasPrefix("URI: ") {
            statement = line
            guard try next("the blank line after the statement").isEmpty else { throw .badMessage("the statement must be one line, followed by a blank line") }
        }
        if statement != nil || line.isEmpty { line = try next("the URI") }
        func field(_ name: String, _ line: String) throws(SignInError) -> String {
            guard line.hasPrefix(name + ": ") else { throw .badMessage("expected \"\(name): …\", found \(line.debugDescription)") }
            return String(line.dropFirst(name.count + 2))
        }
        uri = try field("URI", line)
        version = try field("Version", try next("the version"))
        let chain = try field("Chain ID", try next("the chain id"))
        guard let chainId = Int(chain), chainId > 0 else { throw .badMessage("Chain ID \(chain) is not a positive integer") }
        self.chainId = chainId
        nonce = try field("Nonce", try next("the nonce"))
        guard nonce.count >= 8, nonce.utf8.allSatisfy({ $0 < 128 && Character(Unicode.Scalar($0)).isLetter || ($0 >= 48 && $0 <= 57) }) else {
            throw .badMessage("the nonce must be at least 8 letters and digits")
        }
        issuedAt = try field("Issued At", try next("the issue time"))
        issuedAtMs = try Self.time(issuedAt, "Issued At")
        resources = []
        while let line = lines.popFirst() {
            if line.hasPrefix("Expiration Time: "), expirationTime == nil, notBefore == nil, requestId == nil {
                expirationTime = try field("Expiration Time", line)
                expirationMs = try Self.time(expirationTime!, "Expiration Time")
            } else if line.hasPrefix("Not Before: "), notBefore == nil, requestId == nil {
                notBefore = try field("Not Before", line)
                notBeforeMs = try Self.time(notBefore!, "Not Before")
            } else if line.hasPrefix("Request ID: "), requestId == nil {
                requestId = try field("Request ID", line)
            } else if line == "Resources:" {
                while let item = lines.popFirst() {
                    guard item.hasPrefix("- ") else { throw .badMessage("a resource is a line \"- URI\", found \(item.debugDescription)") }
                    resources.append(String(item.dropFirst(2)))
                }
            } else {
                throw .badMessage("unexpected line \(line.debugDescription) (fields come in the order EIP-4361 gives)")
            }
        }
    }

    /// Milliseconds since 1970 of an RFC 3339 time: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of
    /// a second (past milliseconds dropped), and `Z` or an offset `±HH:MM`.
    static func time(_ text: String, _ field: String) throws(SignInError) -> Int64 {
        let bad = SignInError.badMessage("\(field) \(text.debugDescription) is not an RFC 3339 time, e.g. 2026-12-07T12:00:00Z")
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) throws(SignInError) -> Int64 {
            guard index + digits <= bytes.count else { throw bad }
            var value: Int64 = 0
            for byte in bytes[index..<index + digits] {
                guard byte >= 0x30, byte <= 0x39 else { throw bad }
                value = value * 10 + Int64(byte - 0x30)
            }
            index += digits
            return value
        }
        func expect(_ characters: String) throws(SignInError) {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { throw bad }
            index += 1
        }
        let year = try number(4); try expect("-")
        let month = try number(2); try expect("-")
        let day = try number(2); try expect("Tt")
        let hour = try number(2); try expect(":")
        let minute = try number(2); try expect(":")
        let second = try number(2)
        var milliseconds: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale: Int64 = 100
            let first = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                milliseconds += Int64(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > first else { throw bad }
        }
        var offsetMinutes: Int64 = 0
        guard index < bytes.count else { throw bad }
        if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
            index += 1
        } else {
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            try expect("+-")
            let hours = try number(2); try expect(":")
            offsetMinutes = sign * (hours * 60 + (try number(2)))
        }
        guard index == bytes.count, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { throw bad }
        // Days from 1970-01-01 to the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return ((days * 86_400 + hour * 3_600 + minute * 60 + second) - offsetMinutes * 60) * 1_000 + milliseconds
    }
}
