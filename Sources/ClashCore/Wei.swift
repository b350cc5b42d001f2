/// An amount of ether in wei: an unsigned 128-bit integer, written in JSON as a decimal string
/// (JSON numbers cannot hold it exactly everywhere). Never floating point.
public struct Wei: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var value: UInt128

    public init(_ value: UInt128) { self.value = value }

    /// 1 ether = 10^18 wei.
    public static let perEther: UInt128 = 1_000_000_000_000_000_000

    /// Parses a decimal string of digits only.
    public init?(decimal text: String) {
        guard !text.isEmpty, text.utf8.count <= 39, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              text == "0" || !text.hasPrefix("0"), let value = UInt128(text) else { return nil }
        self.value = value
    }

    public var description: String { String(value) }

    public static func < (lhs: Wei, rhs: Wei) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let wei = Wei(decimal: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text.debugDescription) is not a wei amount (decimal digits, no leading zero)")
        }
        self = wei
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
