import Foundation
import Testing
@testable import LedgerLog

@Suite("Canonical JSON", .timeLimit(.minutes(5)))
struct CanonicalJSONTests {
    @Test("any JSON text canonicalizes to sorted keys without whitespace")
    func canonicalizeSortsAndCompacts() throws {
        let text = #"{ "b": [1, 2, {"y": true, "x": null}], "a": "h\u00e9\"llo\n", "c": -5 }"#
        let canonical = try CanonicalJSON.canonicalize(Array(text.utf8))
        #expect(String(decoding: canonical, as: UTF8.self) == #"{"a":"hé\"llo\n","b":[1,2,{"x":null,"y":true}],"c":-5}"#)
        try CanonicalJSON.validateObject(canonical)
    }

    @Test("canonical validation rejects what would change the bytes on re-encoding",
          arguments: [
              #"{"b":1,"a":2}"#, #"{"a":1,"a":2}"#, #"{ "a":1}"#, #"{"a":1.5}"#, #"{"a":1e3}"#, #"{"a":01}"#,
              #"{"a":-0}"#, #"{"a":"\/"}"#, #"{"a":"\u0041"}"#, #"{"a":"\u000a"}"#, #"{"a":"\u001F"}"#,
              #"{"a":1}x"#, #"{"a":"unterminated}"#, "[1]", #"{"a":tru}"#, "{\"a\":\"\u{01}\"}",
          ])
    func rejectsNonCanonical(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try CanonicalJSON.validateObject(Array(text.utf8)) }
    }

    @Test("the writer's output always validates and parses back to the same value (property)")
    func writerRoundTrip() throws {
        var random = SeededRandom(seed: 7)
        for _ in 0..<500 {
            let value = Self.randomObject(&random, depth: 0)
            let bytes = value.canonicalBytes
            try CanonicalJSON.validateObject(bytes)
            #expect(try JSONValue.parse(bytes) == value)
            #expect(try CanonicalJSON.canonicalize(bytes) == bytes)
        }
    }

    @Test("an error names the byte offset of the problem")
    func errorNamesOffset() {
        do {
            try CanonicalJSON.validateObject(Array(#"{"a":1,"b":2.5}"#.utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 11)
            #expect(error.reason.contains("integers only"))
        }
    }

    static func randomString(_ random: inout SeededRandom) -> String {
        let alphabet: [Character] = ["a", "b", "z", "\"", "\\", "\n", "\t", "é", "€", "😀", "/", " ", "\u{01}", "\u{1F}"]
        return String((0..<Int(random.next() % 8)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
    }

    static func randomObject(_ random: inout SeededRandom, depth: Int) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for _ in 0..<Int(random.next() % 5) {
            members[randomString(&random)] = randomValue(&random, depth: depth + 1)
        }
        let sorted = members.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
        return .object(sorted.map { (key: $0.key, value: $0.value) })
    }

    static func randomValue(_ random: inout SeededRandom, depth: Int) -> JSONValue {
        switch random.next() % (depth > 3 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(random.next() % 2 == 0)
        case 2: return .integer(String(Int64(bitPattern: random.next()) >> Int64(random.next() % 63)))
        case 3: return .string(randomString(&random))
        case 4: return .array((0..<Int(random.next() % 4)).map { _ in randomValue(&random, depth: depth + 1) })
        default: return randomObject(&random, depth: depth)
        }
    }
}

@Suite("the canonical encoder", .timeLimit(.minutes(5)))
struct CanonicalEncoderTests {
    struct Sample: Encodable {
        var zeta: Int64
        var alpha: String
        var nested: [Inner]
        var absent: Int64?
        var flag: Bool
        struct Inner: Encodable { var b: UInt64; var a: [String: Int] }
    }

    @Test("keys in byte order at every depth, no whitespace, escapes as the log writes them, absent optionals left out")
    func encodes() throws {
        let sample = Sample(zeta: -5, alpha: "tab\t\"quote\" é", nested: [.init(b: 18_446_744_073_709_551_615, a: ["y": 1, "X": 2])],
                            absent: nil, flag: true)
        let bytes = try CanonicalEncoder.encode(sample)
        #expect(String(decoding: bytes, as: UTF8.self)
                == #"{"alpha":"tab\t\"quote\" é","flag":true,"nested":[{"a":{"X":2,"y":1},"b":18446744073709551615}],"zeta":-5}"#)
        #expect(try CanonicalJSON.canonicalize(bytes) == bytes)
    }

    @Test("snake-case keys come out as JSONEncoder's convertToSnakeCase writes them, then canonical")
    func snakeCaseKeys() throws {
        struct Named: Encodable {
            struct Key: CodingKey {
                var stringValue: String
                init?(stringValue: String) { self.stringValue = stringValue }
                var intValue: Int? { nil }
                init?(intValue: Int) { nil }
            }
            var names: [String]
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                for (index, name) in names.enumerated() { try container.encode(Int64(index), forKey: Key(stringValue: name)!) }
            }
        }
        struct Part: Encodable { var defiTvlE2: Int64?; var outcomePricesE6: [Int64]; var endMs: Int64?; var inner: [Named] }
        let names = ["defiTvlE2", "realized1hBp", "openInterestUsdE2", "change30dBp", "myURLProperty", "URLValue", "isHTTPS", "aB", "x2Y",
                     "ABC", "a", "already_snake", "stablecoinSupplyChange7dBp", "outcomePricesE6", "tvl"]
        let part = Part(defiTvlE2: 12, outcomePricesE6: [1, 2], endMs: nil, inner: [Named(names: names)])
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let expected = try CanonicalJSON.canonicalize(Array(try encoder.encode(part)))
        #expect(try CanonicalEncoder.encode(part, snakeCaseKeys: true) == expected)
        #expect(CanonicalEncoder.snakeCase("defiTvlE2") == "defi_tvl_e2" && CanonicalEncoder.snakeCase("myURLProperty") == "my_url_property")
    }

    @Test("a floating-point value is refused")
    func refusesFloats() {
        struct Price: Encodable { var px: Double }
        #expect(throws: EncodingError.self) { try CanonicalEncoder.encode(Price(px: 1.5)) }
    }
}
