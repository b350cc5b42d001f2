import LedgerLog
import NIOCore
import PostgresNIO

/// The statements an append runs. (Unnamed statements: the heavy work is in `clash_append`, whose
/// plans PL/pgSQL caches; the statements of the path under the writer's lock are planned each time,
/// a small share of a large group's write.)
extension PostgresLog {
    /// Reads, in one statement and so one snapshot, the head, which of `ids` are written and
    /// where, and each stream's last version (0 for a stream with no events).
    static func stateQuery(ids: [String], streams: [String]) -> PostgresQuery {
        """
        SELECT 0::int4, ''::text, seq, chain FROM log_head WHERE id = 1
        UNION ALL
        SELECT 1::int4, id, seq, NULL::bytea FROM log_events WHERE id = ANY(\(ids)::text[])
        UNION ALL
        SELECT 2::int4, s, (SELECT max(stream_version) FROM log_events WHERE stream = s), NULL::bytea
          FROM unnest(\(streams)::text[]) AS s
        """
    }

    /// Moves the head only if it is still where the plan read it — and writes nothing otherwise —,
    /// writes the records and the batches' chain values, and notifies followers. One row when it
    /// wrote, none when the head had moved.
    static func writeQuery(_ plan: Plan) -> PostgresQuery {
        """
        WITH head AS (
            UPDATE log_head SET seq = \(Int64(plan.newHead)), chain = \(ByteBuffer(bytes: plan.newChain.bytes))
            WHERE id = 1 AND seq = \(Int64(plan.head)) RETURNING seq
        ), events AS (
            INSERT INTO log_events (seq, id, stream, stream_version, type, record)
            SELECT * FROM unnest(\(plan.seq)::int8[], \(plan.id)::text[], \(plan.stream)::text[], \(plan.version)::int8[],
                                 \(plan.type)::text[], \(plan.record)::bytea[])
            WHERE EXISTS (SELECT 1 FROM head)
        ), batches AS (
            INSERT INTO log_batches (last_seq, first_seq, chain)
            SELECT * FROM unnest(\(plan.batchLast)::int8[], \(plan.batchFirst)::int8[], \(plan.batchChain)::bytea[])
            WHERE EXISTS (SELECT 1 FROM head)
        )
        SELECT pg_notify(\(PostgresLog.channel), seq::text) FROM head
        """
    }
}

extension PostgresLog {
    /// One call of `clash_append` (migration 0002) for a group of appends: each record's bytes in
    /// three parts around its sequence and stream version, each append's end, and the stream
    /// versions the group's expectations need the log to hold before it.
    struct AppendCall {
        /// Raised by the call when an expected stream version does not hold.
        static let expectationFailed = "CL001"
        static let uniqueViolation = "23505"

        var ids: [String] = [], streams: [String] = [], types: [String] = []
        var heads: [ByteBuffer] = [], middles: [ByteBuffer] = [], tails: [ByteBuffer] = []
        var batchEnds: [Int32] = []
        var expectedStreams: [String] = [], expectedVersions: [Int64] = []
        /// Where each append's records are in the call.
        var spans: [Range<Int>] = []

        /// Nil when the group writes nothing, or when one of its appends is sure to be refused: the
        /// appends are then made under the head's lock, where each is answered alone.
        init?(_ group: [PendingAppend]) {
            var written: [String: Int64] = [:]
            var required: [String: Int64] = [:]
            for request in group {
                let start = ids.count
                if !request.drafts.isEmpty {
                    // An expectation on a stream is a version the log must hold before the group,
                    // counting what the appends before this one write to it.
                    for (stream, expected) in request.expectations {
                        let before = written[stream] ?? 0
                        let base: Int64
                        switch expected {
                        case .any: continue
                        case .noStream:
                            guard before == 0 else { return nil }
                            base = 0
                        case .exactly(let version):
                            guard Int64(version) >= before else { return nil }
                            base = Int64(version) - before
                        }
                        if let other = required[stream], other != base { return nil }
                        required[stream] = base
                    }
                    for draft in request.drafts {
                        let parts = RecordCodec.encodeAroundPlace(draft)
                        ids.append(draft.id)
                        streams.append(draft.stream)
                        types.append(draft.type)
                        heads.append(ByteBuffer(bytes: parts.head))
                        middles.append(ByteBuffer(bytes: parts.middle))
                        tails.append(ByteBuffer(bytes: parts.tail))
                        written[draft.stream, default: 0] += 1
                    }
                    batchEnds.append(Int32(ids.count))
                }
                spans.append(start..<ids.count)
            }
            guard !ids.isEmpty else { return nil }
            for (stream, version) in required.sorted(by: { $0.key < $1.key }) {
                expectedStreams.append(stream)
                expectedVersions.append(version)
            }
        }

        /// Each append's answer, the call having found the log's head at `head`.
        func results(after head: UInt64) -> [Result<AppendResult, any Error>] {
            spans.map { span in
                .success(AppendResult(firstSequence: head + UInt64(span.lowerBound) + 1, lastSequence: head + UInt64(span.upperBound),
                                      written: !span.isEmpty))
            }
        }

        var query: PostgresQuery {
            """
            SELECT clash_append(\(ids)::text[], \(streams)::text[], \(types)::text[], \(heads)::bytea[], \(middles)::bytea[],
                                \(tails)::bytea[], \(batchEnds)::int4[], \(expectedStreams)::text[], \(expectedVersions)::int8[],
                                \(PostgresLog.channel))
            """
        }
    }
}
