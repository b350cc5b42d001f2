/// The floored integer square root, exact for every value (a floating-point estimate corrected to
/// the exact floor), so figures built on it are the same integers on every machine: realized
/// volatility in market memory, the synthetic market's volatility scaling, the rules engine's windows.
public enum IntegerSquareRoot {
    /// ⌊√value⌋; 0 for a value below 1.
    public static func floor(_ value: Int128) -> Int128 {
        guard value > 1 else { return Swift.max(value, 0) }
        var x = Int128(Double(value).squareRoot())
        while x * x > value { x -= 1 }
        while (x + 1) * (x + 1) <= value { x += 1 }
        return x
    }

    /// ⌊√value⌋ of a 64-bit value.
    public static func floor(_ value: Int64) -> Int64 { Int64(floor(Int128(value))) }
}
