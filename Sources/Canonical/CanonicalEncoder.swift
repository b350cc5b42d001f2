/// Encodes `Encodable` values straight to canonical JSON (keys in byte order, no whitespace,
/// integers only), without Foundation's `JSONEncoder` and a second pass to canonicalize: the
/// runtime encodes several events per decision. A floating-point value is refused, as the log
/// refuses it. Keys are the values' coding keys as they are (no case conversion); a nil optional
/// encoded with `encodeIfPresent` (what synthesized conformances do) leaves its key out. With
/// `snakeCaseKeys`, keys are converted as `JSONEncoder`'s `convertToSnakeCase` converts them.
public enum CanonicalEncoder {
    public static func encode<Value: Encodable>(_ value: Value, snakeCaseKeys: Bool = false) throws -> [UInt8] {
        let root = Node.Box()
        try value.encode(to: TreeEncoder(box: root, codingPath: []))
        var writer = CanonicalJSONWriter(capacity: 512)
        (root.node ?? .null).write(to: &writer, snakeCase: snakeCaseKeys)
        return writer.bytes
    }

    /// `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` for ASCII keys: words split before
    /// each capital (a run of capitals is one word, its last capital starting the next word when
    /// a lower-case letter follows), lower-cased and joined by `_` (`defiTvlE2` → `defi_tvl_e2`).
    public static func snakeCase(_ key: String) -> String {
        let chars = Array(key.utf8)
        guard !chars.isEmpty else { return key }
        func isUpper(_ c: UInt8) -> Bool { c >= 65 && c <= 90 }
        func isLower(_ c: UInt8) -> Bool { c >= 97 && c <= 122 }
        var words: [Range<Int>] = []
        var wordStart = 0
        var searchStart = 1
        while let upper = (searchStart..<chars.count).first(where: { isUpper(chars[$0]) }) {
            words.append(wordStart..<upper)
            guard let lower = (upper..<chars.count).first(where: { isLower(chars[$0]) }) else {
                wordStart = upper
                break
            }
            if lower == upper + 1 {
                wordStart = upper
            } else {
                words.append(upper..<lower - 1)
                wordStart = lower - 1
            }
            searchStart = lower + 1
        }
        words.append(wordStart..<chars.count)
        return words.map { String(decoding: chars[$0].map { isUpper($0) ? $0 + 32 : $0 }, as: UTF8.self) }.joined(separator: "_")
    }

    /// A value being built.
    enum Node {
        case null, bool(Bool), integer(Int64), unsigned(UInt64), string(String)
        case array(ArrayBox), object(ObjectBox)

        final class Box { var node: Node? }
        final class ArrayBox { var items: [Box] = [] }
        final class ObjectBox { var members: [String: Box] = [:] }

        func write(to writer: inout CanonicalJSONWriter, snakeCase: Bool = false) {
            switch self {
            case .null: writer.null()
            case .bool(let value): writer.bool(value)
            case .integer(let value): writer.int(value)
            case .unsigned(let value): writer.uint(value)
            case .string(let value): writer.string(value)
            case .array(let array):
                writer.beginArray()
                for item in array.items { (item.node ?? .null).write(to: &writer, snakeCase: snakeCase) }
                writer.endArray()
            case .object(let object):
                writer.beginObject()
                let keys = object.members.keys.map { (written: snakeCase ? CanonicalEncoder.snakeCase($0) : $0, key: $0) }
                for (written, key) in keys.sorted(by: { Array($0.written.utf8).lexicographicallyPrecedes(Array($1.written.utf8)) }) {
                    writer.key(written)
                    (object.members[key]!.node ?? .null).write(to: &writer, snakeCase: snakeCase)
                }
                writer.endObject()
            }
        }
    }

    struct TreeEncoder: Encoder {
        let box: Node.Box
        var codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            let object: Node.ObjectBox
            if case .object(let existing)? = box.node { object = existing } else { object = Node.ObjectBox(); box.node = .object(object) }
            return KeyedEncodingContainer(Keyed<Key>(object: object, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            let array: Node.ArrayBox
            if case .array(let existing)? = box.node { array = existing } else { array = Node.ArrayBox(); box.node = .array(array) }
            return Unkeyed(array: array, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(box: box, codingPath: codingPath) }
    }

    static func refuse(_ value: Any, _ codingPath: [any CodingKey]) -> EncodingError {
        EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "canonical JSON holds integers only; use a fixed-point integer"))
    }

    /// Scalars as nodes; anything else through its own `encode(to:)`.
    static func node<Value: Encodable>(_ value: Value, _ codingPath: [any CodingKey]) throws -> Node.Box {
        let box = Node.Box()
        switch value {
        case let value as String: box.node = .string(value)
        case let value as Bool: box.node = .bool(value)
        case let value as Int64: box.node = .integer(value)
        case let value as Int: box.node = .integer(Int64(value))
        case let value as Int32: box.node = .integer(Int64(value))
        case let value as UInt64: box.node = .unsigned(value)
        case let value as UInt32: box.node = .integer(Int64(value))
        case is Double, is Float: throw refuse(value, codingPath)
        default: try value.encode(to: TreeEncoder(box: box, codingPath: codingPath))
        }
        return box
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let object: Node.ObjectBox
        var codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { object.members[key.stringValue] = { let box = Node.Box(); box.node = .null; return box }() }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            object.members[key.stringValue] = try CanonicalEncoder.node(value, codingPath + [key])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let box = Node.Box()
            object.members[key.stringValue] = box
            return TreeEncoder(box: box, codingPath: codingPath + [key]).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let box = Node.Box()
            object.members[key.stringValue] = box
            return TreeEncoder(box: box, codingPath: codingPath + [key]).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            let box = Node.Box()
            object.members[key.stringValue] = box
            return TreeEncoder(box: box, codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let array: Node.ArrayBox
        var codingPath: [any CodingKey]
        var count: Int { array.items.count }

        mutating func encodeNil() throws { let box = Node.Box(); box.node = .null; array.items.append(box) }
        mutating func encode<T: Encodable>(_ value: T) throws { array.items.append(try CanonicalEncoder.node(value, codingPath)) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let box = Node.Box()
            array.items.append(box)
            return TreeEncoder(box: box, codingPath: codingPath).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let box = Node.Box()
            array.items.append(box)
            return TreeEncoder(box: box, codingPath: codingPath).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder {
            let box = Node.Box()
            array.items.append(box)
            return TreeEncoder(box: box, codingPath: codingPath)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let box: Node.Box
        var codingPath: [any CodingKey]

        mutating func encodeNil() throws { box.node = .null }
        mutating func encode<T: Encodable>(_ value: T) throws { box.node = try CanonicalEncoder.node(value, codingPath).node }
    }
}
