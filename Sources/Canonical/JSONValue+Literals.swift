/// Literals make payloads easy to write: `["symbol": "BTC-PERP", "mid_e8": 6_500_000_000_000]`.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(String(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// An object from members in any order (sorted into canonical order).
    public static func object(_ members: [String: JSONValue]) -> JSONValue {
        .object(members.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { (key: $0.key, value: $0.value) })
    }

    /// An integer value.
    public static func int<T: BinaryInteger>(_ value: T) -> JSONValue { .integer(String(value)) }
}
