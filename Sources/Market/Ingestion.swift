import EventSchemas
import LedgerLog

/// Turns normalized events into drafts for one atomic append. Ids come from the source, the
/// request and a hash of the response body, so that ingesting the same response again writes
/// nothing new (the log's idempotent append).
public enum Ingestion {
    public static func drafts(_ events: [HyperliquidNormalizer.Normalized], source: String, request: String,
                              body: [UInt8], timestampMs: Int64) throws -> [EventDraft] {
        let digest = String(ChainHash.genesis.next(body).hex.prefix(16))
        return try events.enumerated().map { index, item in
            try item.event.draft(id: "\(source):\(request):\(digest):\(index)", stream: item.stream, timestampMs: timestampMs)
        }
    }
}
