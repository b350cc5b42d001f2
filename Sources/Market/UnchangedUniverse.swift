import EventSchemas
import LedgerLog

/// Keeps a response's `hyperliquid.universe` out of the log when it says what the newest logged
/// universe of its dex already says: every `metaAndAssetCtxs` poll carries the universe, which
/// changes only when a listing does (about 30 KB each time for the whole recorded universe). The
/// log then holds each universe once, at the time it was first seen, and a fold of it gives the
/// same market memory.
public final class UnchangedUniverse: @unchecked Sendable {
    /// The newest logged universe payload per dex (nil until the log has been read once).
    private var newest: [String: [UInt8]]?

    public init() {}

    /// `drafts` without a universe that equals the newest one logged (or passed on) for its dex.
    public func dropUnchanged(_ drafts: [EventDraft], log: any LogReading) throws -> [EventDraft] {
        guard drafts.contains(where: { $0.type == HyperliquidUniverse.type }) else { return drafts }
        if newest == nil { newest = try Self.newestUniverses(log) }
        return try drafts.filter { draft in
            guard draft.type == HyperliquidUniverse.type else { return true }
            let dex = try EventCatalog.decode(LogRecord(sequence: 0, streamVersion: 0, draft: draft), as: HyperliquidUniverse.self).dex
            guard newest?[dex] != draft.payload else { return false }
            newest?[dex] = draft.payload
            return true
        }
    }

    /// The newest universe payload of each dex in the log.
    static func newestUniverses(_ log: any LogReading) throws -> [String: [UInt8]] {
        var found: [String: [UInt8]] = [:]
        try log.forEach(from: 1, filter: RecordFilter(type: HyperliquidUniverse.type)) { record in
            found[try EventCatalog.decode(record, as: HyperliquidUniverse.self).dex] = Array(record.payload)
            return true
        }
        return found
    }
}
