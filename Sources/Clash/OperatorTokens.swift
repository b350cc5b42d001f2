import Foundation
import LedgerLog

/// The operators' bearer tokens of a data directory (`operators.json`): a token is printed once
/// when made and only its SHA-256 is kept, so the file gives no token away. An operator may use
/// the kill switch, cancel races, audit them, and read any clone's strategy.
public struct OperatorTokens: Sendable {
    /// One token as kept: its id (the first 12 hex digits of its hash), hash, role and times.
    public struct Entry: Codable, Sendable, Equatable {
        public var tokenId: String
        public var sha256: String
        public var role: String
        public var label: String
        public var createdMs: Int64
        public var revokedMs: Int64?

        enum CodingKeys: String, CodingKey {
            case tokenId = "token_id", sha256, role, label, createdMs = "created_ms", revokedMs = "revoked_ms"
        }
    }

    public static let fileName = "operators.json"
    public static let roles = ["operator"]
    public let path: String

    public init(directory: String) { path = directory + "/" + Self.fileName }

    /// Every token made, revoked ones included, in the order made.
    public func list() throws -> [Entry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        do {
            return try JSONDecoder().decode([Entry].self, from: data)
        } catch {
            throw DomainError("operator.bad_file", "\(path) cannot be read as a list of operator tokens (\(error)); restore it from a backup or remove it and make new tokens")
        }
    }

    /// Makes a token for `role`: returns the token (shown once, never kept) and its entry.
    public func create(role: String, label: String = "", nowMs: Int64) throws -> (token: String, entry: Entry) {
        guard Self.roles.contains(role) else { throw DomainError("operator.bad_role", "role \(role): the roles are \(Self.roles.joined(separator: ", "))") }
        var generator = SystemRandomNumberGenerator()
        let token = "clash_op_" + Hex.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let hash = ContentHash.of(Array(token.utf8))
        let entry = Entry(tokenId: String(hash.prefix(12)), sha256: hash, role: role, label: label, createdMs: nowMs, revokedMs: nil)
        try save(try list() + [entry])
        return (token, entry)
    }

    /// Revokes a token by its id; `operator.unknown` when none has it.
    public func revoke(_ tokenId: String, nowMs: Int64) throws -> Entry {
        var entries = try list()
        guard let index = entries.firstIndex(where: { $0.tokenId == tokenId }) else {
            throw DomainError("operator.unknown", "no operator token has id \(tokenId); `clash tokens list` shows them")
        }
        if entries[index].revokedMs == nil { entries[index].revokedMs = nowMs }
        try save(entries)
        return entries[index]
    }

    /// The entry of a token that is valid now, or nil.
    public func verify(_ token: String) throws -> Entry? {
        let hash = ContentHash.of(Array(token.utf8))
        return try list().first { $0.sha256 == hash && $0.revokedMs == nil }
    }

    /// Written whole to a new file, synced, then renamed over the old: a crash leaves one or the other.
    private func save(_ entries: [Entry]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(entries)
        let temporary = path + ".new"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw DomainError("operator.write_failed", "cannot write \(temporary); check the data directory's permissions and free space")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, path) == 0 else {
            throw DomainError("operator.write_failed", "cannot rename \(temporary) to \(path): errno \(errno)")
        }
    }
}
