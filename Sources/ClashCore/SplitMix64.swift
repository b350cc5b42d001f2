/// SplitMix64: a tiny, well-mixed seeded generator. Every synthetic generator of the project uses
/// it, so a seed gives the same numbers on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in [-width, width], more often near 0 (the difference of two uniforms).
    public mutating func triangular(_ width: Int64) -> Int64 {
        let span = UInt64(width) + 1
        return Int64(next() % span) - Int64(next() % span)
    }
}
