/// An Ethereum account address: `0x` and 40 ASCII hex digits, held lowercase (as events store it).
///
/// Every address that enters the ledger — a clone's owner, a ticket's holder, a signed-in wallet —
/// is parsed here, so each place accepts and refuses the same texts: all-lowercase and
/// all-uppercase hex, and mixed case only when it is a correct EIP-55 checksum. A mixed-case
/// address with a wrong checksum is refused, as wallets refuse it: it is how a typo is caught, and
/// a ticket paid to a typo is lost. Only ASCII is accepted: `Character.isHexDigit` also takes
/// fullwidth digits (`１`), which no chain has.
public struct Address: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// `0x` and 40 lowercase hex digits.
    public let lowercase: String

    /// Why a text is not an address.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case notHex(String)
        case badChecksum(String, expected: String)

        public var description: String {
            switch self {
            case .notHex(let text):
                "\(text.debugDescription) is not an address: write 0x and 40 hexadecimal digits (0-9, a-f; ASCII only)"
            case let .badChecksum(text, expected):
                "\(text.debugDescription) has a wrong EIP-55 checksum (the case of its letters): check it for a typo; the address with these digits is written \(expected), or give it all lowercase"
            }
        }
    }

    /// Parses an address; mixed case must be its EIP-55 checksum.
    public init(_ text: String) throws(Problem) {
        let bytes = Array(text.utf8)
        guard bytes.count == 42, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "x"),
              bytes[2...].allSatisfy(Self.isASCIIHexDigit) else { throw .notHex(text) }
        let digits = bytes[2...]
        let lower = String(decoding: [UInt8(ascii: "0"), UInt8(ascii: "x")] + digits.map(Self.lowercased), as: UTF8.self)
        let hasLower = digits.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f") }
        let hasUpper = digits.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") }
        let address = Address(lowercase: lower)
        if hasLower && hasUpper, address.checksummed != text { throw .badChecksum(text, expected: address.checksummed) }
        self = address
    }

    private init(lowercase: String) { self.lowercase = lowercase }

    /// Whether `text` parses as an address.
    public static func isValid(_ text: String) -> Bool { (try? Address(text)) != nil }

    /// The EIP-55 form: a letter is uppercase when the matching nibble of Keccak-256 of the
    /// lowercase hex (without 0x) is 8 or more.
    public var checksummed: String {
        let digits = Array(lowercase.utf8.dropFirst(2))
        let hash = Keccak256.hash(digits)
        var text: [UInt8] = [UInt8(ascii: "0"), UInt8(ascii: "x")]
        for (index, digit) in digits.enumerated() {
            let nibble = index % 2 == 0 ? hash[index / 2] >> 4 : hash[index / 2] & 0x0F
            text.append(digit >= UInt8(ascii: "a") && nibble >= 8 ? digit - 0x20 : digit)
        }
        return String(decoding: text, as: UTF8.self)
    }

    public var description: String { lowercase }

    public static func < (lhs: Address, rhs: Address) -> Bool { lhs.lowercase < rhs.lowercase }

    /// Decoded from the log as stored: lowercase only (the catalog's pattern `^0x[0-9a-f]{40}$`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let address = try? Address(text), address.lowercase == text else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text.debugDescription) is not an address as events store it: 0x and 40 lowercase hex digits")
        }
        self = address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(lowercase)
    }

    static func isASCIIHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }

    static func lowercased(_ byte: UInt8) -> UInt8 { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F") ? byte + 0x20 : byte }
}
