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
    /// three parts around its sequence and stream version, its stream (by place in the call's list
    /// of streams) and its rank among the call's records of that stream, each append's end, and the
    /// version each stream must be at before the group (-1: any).
    struct AppendCall {
        /// Raised by the call when an expected stream version does not hold.
        static let expectationFailed = "CL001"
        static let uniqueViolation = "23505"

        var ids: [String] = [], types: [String] = []
        var streamOf: [Int32] = [], ranks: [Int32] = []
        var heads: [ByteBuffer] = [], middles: [ByteBuffer] = [], tails: [ByteBuffer] = []
        var batchEnds: [Int32] = []
        var streams: [String] = [], expectedVersions: [Int64] = []
        /// Where each append's records are in the call.
        var spans: [Range<Int>] = []

        /// Nil when the group writes nothing, or when one of its appends is sure to be refused: the
        /// appends are then made under the head's lock, where each is answered alone.
        init?(_ group: [PendingAppend]) {
            var place: [String: Int] = [:]
            var written: [Int64] = []
            func index(_ stream: String) -> Int {
                if let known = place[stream] { return known }
                streams.append(stream)
                expectedVersions.append(-1)
                written.append(0)
                place[stream] = streams.count - 1
                return streams.count - 1
            }
            for request in group {
                let start = ids.count
                if !request.drafts.isEmpty {
                    // An expectation on a stream is a version the log must hold before the group,
                    // counting what the appends before this one write to it.
                    for (stream, expected) in request.expectations {
                        let at = index(stream)
                        let base: Int64
                        switch expected {
                        case .any: continue
                        case .noStream:
                            guard written[at] == 0 else { return nil }
                            base = 0
                        case .exactly(let version):
                            guard Int64(version) >= written[at] else { return nil }
                            base = Int64(version) - written[at]
                        }
                        if expectedVersions[at] >= 0, expectedVersions[at] != base { return nil }
                        expectedVersions[at] = base
                    }
                    for draft in request.drafts {
                        let at = index(draft.stream)
                        written[at] += 1
                        let parts = RecordCodec.encodeAroundPlace(draft)
                        ids.append(draft.id)
                        types.append(draft.type)
                        streamOf.append(Int32(at + 1))
                        ranks.append(Int32(written[at]))
                        heads.append(ByteBuffer(bytes: parts.head))
                        middles.append(ByteBuffer(bytes: parts.middle))
                        tails.append(ByteBuffer(bytes: parts.tail))
                    }
                    batchEnds.append(Int32(ids.count))
                }
                spans.append(start..<ids.count)
            }
            guard !ids.isEmpty else { return nil }
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
            SELECT clash_append(\(ids)::text[], \(streamOf)::int4[], \(ranks)::int4[], \(types)::text[], \(heads)::bytea[],
                                \(middles)::bytea[], \(tails)::bytea[], \(batchEnds)::int4[], \(streams)::text[],
                                \(expectedVersions)::int8[], \(PostgresLog.channel))
            """
        }
    }
}
