/// A refused command: a stable code for programs, and a message that says what to do. Nothing is
/// written when a decider throws one.
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable across releases, e.g. `clone.not_owner`.
    public var code: String
    public var message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) [\(code)]" }
}
