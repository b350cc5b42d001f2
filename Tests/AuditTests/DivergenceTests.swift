@testable import Audit
import LedgerLog
import Testing

@Suite("divergences between a logged event and its recomputation", .timeLimit(.minutes(5)))
struct DivergenceTests {
    func record(_ payload: String, timestamp: Int64 = 5) -> LogRecord {
        LogRecord(sequence: 42, streamVersion: 1, draft: EventDraft(id: "e", type: "runtime.fill", schemaVersion: 2, stream: "s", timestampMs: timestamp,
                                                                   payload: Array(payload.utf8)))
    }

    func draft(_ payload: String, timestamp: Int64 = 5) -> EventDraft {
        EventDraft(id: "e", type: "runtime.fill", schemaVersion: 2, stream: "s", timestampMs: timestamp, payload: Array(payload.utf8))
    }

    @Test("the same bytes are no divergence; otherwise the first differing field, nested paths named, both values given")
    func fields() {
        #expect(Divergence.first(logged: record(#"{"a":1,"b":[{"x":"2"}]}"#), recomputed: draft(#"{"a":1,"b":[{"x":"2"}]}"#)) == nil)
        let nested = Divergence.first(logged: record(#"{"a":1,"b":[{"x":"2"},{"x":"3"}]}"#), recomputed: draft(#"{"a":1,"b":[{"x":"2"},{"x":"4"}]}"#))
        #expect(nested?.field == "b[1].x" && nested?.logged == "3" && nested?.recomputed == "4" && nested?.sequence == 42)
        let missing = Divergence.first(logged: record(#"{"a":1}"#), recomputed: draft(#"{"a":1,"c":true}"#))
        #expect(missing?.field == "c" && missing?.logged == "(absent)" && missing?.recomputed == "true")
        let envelope = Divergence.first(logged: record(#"{"a":1}"#, timestamp: 5), recomputed: draft(#"{"a":2}"#, timestamp: 6))
        #expect(envelope?.field == "timestamp_ms", "the envelope is compared first")
    }

    @Test("a recomputed event the log lacks, and a logged event nothing recomputed, are both divergences")
    func oneSided() throws {
        let log = MemoryLog()
        let recomputing = RecomputingLog(logged: log, expected: [record(#"{"a":1}"#)])
        try recomputing.append([EventDraft(id: "other", type: "runtime.fill", schemaVersion: 2, stream: "s", timestampMs: 5, payload: Array(#"{"a":1}"#.utf8))],
                               expectations: [:])
        #expect(recomputing.divergences.first?.sequence == nil && recomputing.divergences.first?.logged == "(absent)")
        #expect(recomputing.unmatched().first?.sequence == 42 && recomputing.unmatched().first?.recomputed == "(absent)")
        #expect(try log.head.sequence == 0, "nothing is written")
    }
}
