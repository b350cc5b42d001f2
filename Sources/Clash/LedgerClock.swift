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
