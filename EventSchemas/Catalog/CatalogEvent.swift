import Foundation
import Canonical

/// An event of the catalog: its type, its schema version, what it means, and its payload as a
/// `Codable` value whose JSON the schema file `schemas/<type>.v<version>.schema.json` describes.
public protocol CatalogEvent: Codable, Sendable, Equatable {
    static var type: String { get }
    static var version: Int { get }
    static var summary: String { get }
    /// The payload's canonical JSON. Events of hot paths write it by hand; the rest use the
    /// default, `CanonicalEncoder` (tests hold both to the same bytes).
    func canonicalPayload() throws -> [UInt8]
}

extension CatalogEvent {
    /// The payload's canonical JSON (sorted keys, integers only), written directly.
    public func canonicalPayload() throws -> [UInt8] {
        try CanonicalEncoder.encode(self)
    }

    /// A draft of this event for the log.
    public func draft(id: String, stream: String, timestampMs: Int64, correlationId: String? = nil,
                      causationId: String? = nil) throws -> EventDraft {
        EventDraft(id: id, type: Self.type, schemaVersion: Self.version, stream: stream, timestampMs: timestampMs,
                   correlationId: correlationId, causationId: causationId, payload: try canonicalPayload())
    }
}
