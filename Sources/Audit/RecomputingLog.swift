import LedgerLog

/// The log as an audit sees it: every read goes to the logged history (read-only), and every
/// append is compared with the events the log holds under the same ids instead of being written.
/// The runtime re-runs a race against it exactly as it ran against the real log; whatever it would
/// have written is checked, field by field, against what was written.
final class RecomputingLog: LogStore, @unchecked Sendable {
    let logged: any LogReading
    /// The logged events the recomputation must produce (the race's own streams), and where each
    /// id is among them.
    private let expected: [LogRecord]
    private let positions: [String: Int]
    private var matched: [Bool]
    private(set) var divergences: [Divergence] = []
    private(set) var compared = 0

    init(logged: any LogReading, expected: [LogRecord]) {
        self.logged = logged
        self.expected = expected
        positions = Dictionary(expected.indices.map { (expected[$0].id, $0) }, uniquingKeysWith: { first, _ in first })
        matched = Array(repeating: false, count: expected.count)
    }

    var head: LogHead { get throws { try logged.head } }

    func forEach(from sequence: UInt64, filter: RecordFilter, _ body: (LogRecord) throws -> Bool) throws {
        try logged.forEach(from: sequence, filter: filter, body)
    }

    func refresh() throws { try logged.refresh() }

    func append(_ drafts: [EventDraft], expectations: [String: ExpectedVersion]) throws -> AppendResult {
        let sequences = drafts.compactMap { check($0).map { expected[$0].sequence } }
        return AppendResult(firstSequence: sequences.min() ?? 0, lastSequence: sequences.max() ?? 0, written: false)
    }

    /// Compares one recomputed event with the logged event of its id; returns where that is.
    @discardableResult
    func check(_ draft: EventDraft) -> Int? {
        compared += 1
        guard let position = positions[draft.id] else {
            divergences.append(Divergence(sequence: nil, id: draft.id, type: draft.type, field: "(event)", logged: "(absent)",
                                          recomputed: "an event of type \(draft.type) on \(draft.stream)"))
            return nil
        }
        matched[position] = true
        if let difference = Divergence.first(logged: expected[position], recomputed: draft) { divergences.append(difference) }
        return position
    }

    /// The logged events no recomputation produced: a history with events added.
    func unmatched() -> [Divergence] {
        expected.indices.filter { !matched[$0] && positions[expected[$0].id] == $0 }.map { expected[$0] }.map { record in
            Divergence(sequence: record.sequence, id: record.id, type: record.type, field: "(event)",
                       logged: "an event of type \(record.type) on \(record.stream)", recomputed: "(absent)")
        }
    }

    func streamVersion(_ stream: String) throws -> UInt64 {
        var version: UInt64 = 0
        try logged.forEach(from: 1, filter: RecordFilter(stream: stream)) { record in
            version = record.streamVersion
            return true
        }
        return version
    }

    func close() throws {}
}
