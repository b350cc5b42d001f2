import ClashCore
import Testing

@Suite("Fixed-point parsing", .timeLimit(.minutes(5)))
struct FixedPointTests {
    @Test("decimal text becomes exact scaled integers", arguments: [
        ("113079.5", 8, Int64(11_307_950_000_000)), ("0.0000125", 12, 12_500_000), ("-0.0002298729", 12, -229_872_900),
        ("0.001601", 8, 160_100), ("2", 2, 200), ("1e-5", 8, 1_000), ("1.5E3", 0, 1_500), ("-0", 8, 0), ("+7.10", 2, 710),
    ])
    func exact(text: String, scale: Int, expected: Int64) throws {
        #expect(try FixedPoint.parse(text, scale: scale) == expected)
    }

    @Test("more decimals than the scale are refused unless rounding half to even is asked for")
    func rounding() throws {
        #expect(throws: FixedPoint.ParseError.self) { try FixedPoint.parse("1.005", scale: 2) }
        #expect(try FixedPoint.parse("3677355032.5003023148", scale: 2, rounding: .halfEven) == 367_735_503_250)
        #expect(try FixedPoint.parse("0.125", scale: 2, rounding: .halfEven) == 12)
        #expect(try FixedPoint.parse("0.135", scale: 2, rounding: .halfEven) == 14)
        #expect(try FixedPoint.parse("0.1251", scale: 2, rounding: .halfEven) == 13)
        #expect(try FixedPoint.parse("-0.125", scale: 2, rounding: .halfEven) == -12)
    }

    @Test("malformed or too large values are refused", arguments: ["", "-", "1.2.3", "abc", "1e", "99999999999999999999", "0x10", "1,5"])
    func malformed(text: String) {
        #expect(throws: FixedPoint.ParseError.self) { try FixedPoint.parse(text, scale: 8) }
    }

    @Test("plain syntax (what a decision answer may write) refuses signs, exponents and bare points; toward zero drops extra digits")
    func plainAndTowardZero() throws {
        #expect(try FixedPoint.parse("-12.5", scale: 2, syntax: .plain) == -1_250)
        for text in ["+5", "1e3", ".5", "5.", "", "-", "1.2.3", "１2"] {
            #expect(throws: FixedPoint.ParseError.self, "\(text)") { try FixedPoint.parse(text, scale: 2, syntax: .plain) }
        }
        #expect(try FixedPoint.parse("1e3", scale: 2) == 100_000)
        #expect(try FixedPoint.parse("0.12999", scale: 4, rounding: .towardZero, syntax: .plain) == 1_299)
        #expect(try FixedPoint.parse("-0.12999", scale: 4, rounding: .towardZero) == -1_299)
    }

    @Test("scaling by parsing equals exact integer arithmetic (property)")
    func property() throws {
        var state: UInt64 = 12_345
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1
            let whole = Int64(state >> 40)
            let fraction = Int64((state >> 8) % 100_000_000)
            let text = "\(whole).\(String(fraction).leftPad(8))"
            #expect(try FixedPoint.parse(text, scale: 8) == whole * 100_000_000 + fraction)
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
