/// Exact decimal text to fixed-point integers: "113079.5" at scale 8 is 11307950000000. Parsed
/// digit by digit, never through floating point.
public enum FixedPoint {
    /// What to do with digits beyond the scale.
    public enum Rounding: Sendable {
        /// Refuse them: the value must be exact at the scale.
        case exact
        /// Round half to even (banker's rounding), deterministic on every machine.
        case halfEven
        /// Drop them (toward zero).
        case towardZero
    }

    /// What a number may look like.
    public enum Syntax: Sendable {
        /// As exchanges and JSON write them: a sign (`-` or `+`), digits with an optional point, an exponent.
        case scientific
        /// As a decision answer must: an optional `-`, digits, and a fraction after a point only when
        /// there are digits on both sides.
        case plain
    }

    /// Why a text is not a number at the scale.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var text: String
        public var reason: String
        public var description: String { "\(text.debugDescription) \(reason)" }
    }

    /// `text` (digits, optional sign, fraction and exponent) times 10^scale, as an Int64.
    public static func parse(_ text: String, scale: Int, rounding: Rounding = .exact, syntax: Syntax = .scientific) throws(ParseError) -> Int64 {
        func fail(_ reason: String) -> ParseError { ParseError(text: text, reason: reason) }
        if syntax == .plain {
            let parts = Substring(text.hasPrefix("-") ? String(text.dropFirst()) : text).split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 &- UInt8(ascii: "0") < 10 } }) else {
                throw fail("is not a plain decimal number (digits, an optional - and an optional fraction)")
            }
        }
        var bytes = Array(text.utf8)[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var exponent = 0
        if let e = bytes.firstIndex(where: { $0 | 0x20 == UInt8(ascii: "e") }) {
            guard let value = Int(String(decoding: bytes[(e + 1)...], as: UTF8.self)), abs(value) < 400 else { throw fail("has a bad exponent") }
            exponent = value
            bytes = bytes[..<e]
        }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { throw fail("has two decimal points") }
                seenPoint = true
            } else if byte &- UInt8(ascii: "0") < 10 {
                digits.append(byte - UInt8(ascii: "0"))
                if seenPoint { fractionDigits += 1 }
            } else {
                throw fail("is not a decimal number")
            }
        }
        guard !digits.isEmpty else { throw fail("has no digits") }
        // value = digits × 10^(exponent - fractionDigits); we want value × 10^scale.
        let shift = scale + exponent - fractionDigits
        var kept = digits
        var dropped: [UInt8] = []
        if shift >= 0 {
            kept.append(contentsOf: repeatElement(0, count: shift))
        } else {
            let cut = max(0, kept.count + shift)
            dropped = Array(kept[cut...])
            kept = Array(kept[..<cut])
            if dropped.count < -shift { dropped.insert(contentsOf: repeatElement(0, count: -shift - dropped.count), at: 0) }
        }
        var magnitude: UInt64 = 0
        for digit in kept {
            let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(digit))
            guard !o1 && !o2 else { throw fail("does not fit a 64-bit integer at scale \(scale)") }
            magnitude = sum
        }
        if dropped.contains(where: { $0 != 0 }), rounding != .towardZero {
            guard rounding == .halfEven else { throw fail("has more than \(scale) decimals") }
            let first = dropped[0]
            let restNonZero = dropped.dropFirst().contains { $0 != 0 }
            if first > 5 || (first == 5 && (restNonZero || magnitude % 2 == 1)) {
                guard magnitude < UInt64(Int64.max) else { throw fail("does not fit a 64-bit integer at scale \(scale)") }
                magnitude += 1
            }
        }
        guard magnitude <= UInt64(Int64.max) else { throw fail("does not fit a 64-bit integer at scale \(scale)") }
        return negative ? -Int64(magnitude) : Int64(magnitude)
    }
}
