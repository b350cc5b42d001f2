import Foundation
import LedgerLog

/// A content-addressed store of private payloads — strategy graphs, prompts, context packets,
/// model exchanges — each named by the SHA-256 of its bytes. Events carry only the hash, so the
/// log can be published without leaking what the artifacts hold; whoever has the artifacts can
/// check every one against its name.
public protocol ArtifactStore: AnyObject, Sendable {
    /// Stores `bytes` and returns their hash; with `durable`, on stable storage before returning.
    /// Storing bytes already there is a no-op returning the same hash. Only what can be derived
    /// again from the log (a context packet) is stored without `durable`.
    @discardableResult
    func put(_ bytes: [UInt8], durable: Bool) throws -> String
    /// The bytes named `hash`, checked against it.
    func get(_ hash: String) throws -> [UInt8]
    /// Whether the store holds `hash` (not checked).
    func contains(_ hash: String) throws -> Bool
    /// Stores what can be derived again from the log (a context packet) whose SHA-256 the caller
    /// already computed from these very bytes; not durable. Reads check it as any other.
    func putDerivable(_ bytes: [UInt8], hash: String) throws
    /// Writes out what a store keeps in memory before writing (derivable artifacts).
    func flush() throws
}

extension ArtifactStore {
    /// Stores `bytes` durably.
    @discardableResult
    public func put(_ bytes: [UInt8]) throws -> String { try put(bytes, durable: true) }
    public func putDerivable(_ bytes: [UInt8], hash: String) throws { try put(bytes, durable: false) }
    public func flush() throws {}
}

/// What reading or writing an artifact can fail at.
public enum ArtifactError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing(hash: String, location: String)
    case corrupt(hash: String, location: String, reason: String)
    case badHash(String)
    case io(location: String, reason: String)

    public var description: String {
        switch self {
        case let .missing(hash, location):
            "artifact \(hash) is not in the artifact store (\(location)); copy the artifacts folder that came with the log, or ask its owner"
        case let .corrupt(hash, location, reason):
            "artifact \(hash) at \(location) is damaged: \(reason); restore it from a copy (its name is the SHA-256 its bytes must have)"
        case let .badHash(text):
            "\(text.debugDescription) is not an artifact hash (64 lowercase hex digits)"
        case let .io(location, reason):
            "the artifact store failed at \(location): \(reason)"
        }
    }
}

extension ContentHash {
    /// Throws `badHash` unless `hash` can name an artifact.
    static func check(_ hash: String) throws {
        guard isValid(hash) else { throw ArtifactError.badHash(hash) }
    }
}

/// Artifacts in memory, for tests and in-memory ledgers: same names, same checks.
public final class MemoryArtifactStore: ArtifactStore, @unchecked Sendable {
    private var artifacts: [String: [UInt8]] = [:]
    private let lock = NSLock()

    public init() {}

    public func put(_ bytes: [UInt8], durable: Bool) throws -> String {
        let hash = ContentHash.of(bytes)
        lock.withLock { artifacts[hash] = bytes }
        return hash
    }

    public func get(_ hash: String) throws -> [UInt8] {
        try ContentHash.check(hash)
        guard let bytes = lock.withLock({ artifacts[hash] }) else { throw ArtifactError.missing(hash: hash, location: "memory") }
        guard ContentHash.of(bytes) == hash else { throw ArtifactError.corrupt(hash: hash, location: "memory", reason: "its SHA-256 differs") }
        return bytes
    }

    public func contains(_ hash: String) throws -> Bool { lock.withLock { artifacts[hash] != nil } }
}
