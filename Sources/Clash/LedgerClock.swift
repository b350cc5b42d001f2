import Foundation

/// Where the ledger's time comes from. Time enters the ledger only when an event is stamped, so
/// replaying the log never asks a clock again.
public protocol LedgerClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMilliseconds() -> Int64
}

/// The machine's clock.
public struct SystemClock: LedgerClock {
    public init() {}

    public func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// The machine's time now, ms since the epoch: read only at the edge (never in the domain or a fold).
    public static var nowMs: Int64 { SystemClock().nowMilliseconds() }
}

/// A clock that always says the same time (a command's `--at`, a season's start).
public struct FixedClock: LedgerClock {
    public var milliseconds: Int64
    public init(_ milliseconds: Int64) { self.milliseconds = milliseconds }
    public func nowMilliseconds() -> Int64 { milliseconds }
}

/// Where event ids come from when the caller gives none.
public protocol IdGenerator: Sendable {
    func next() -> String
}

/// Random UUIDs.
public struct RandomIds: IdGenerator {
    public init() {}

    public func next() -> String { UUID().uuidString.lowercased() }
}

/// Deterministic event ids from a seed: the same run (a test, a simulation, a benchmark) writes
/// the same log, byte for byte.
public final class SeededIds: IdGenerator, @unchecked Sendable {
    private let lock = NSLock()
    private var random: SplitMix64
    private let prefix: String

    public init(seed: UInt64, prefix: String = "evt") {
        random = SplitMix64(seed: seed)
        self.prefix = prefix
    }

    public func next() -> String {
        lock.lock()
        defer { lock.unlock() }
        return prefix + "-" + String(random.next(), radix: 16)
    }
}
