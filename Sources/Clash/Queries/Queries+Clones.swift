import ClashCore
import Domain
import Runtime

/// A clone as its audience may see it: the public identity and figures, and for its owner or an
/// operator the strategy graph too.
public struct CloneView: Sendable {
    public var clone: QueryRow
    public var strategy: StrategyGraph?

    /// One canonical JSON object: the public fields, and `strategy` when shown.
    public func canonicalJSON() throws -> [UInt8] {
        var output = clone.canonicalJSON
        guard let strategy else { return output }
        output.removeLast()
        return output + Array((clone.columns.isEmpty ? "" : ",").utf8) + Array("\"strategy\":".utf8) + (try strategy.canonicalBytes()) + [0x7D]
    }
}

extension Queries {
    /// What anyone may see of every clone (or one owner's): identity, owner, status, times; never
    /// the graph or its prompt. In the order created.
    public func clones(owner: Address? = nil) throws -> [QueryRow] {
        try publicClones(cloneId: nil, owner: owner?.lowercase)
    }

    /// One clone as `audience` may see it; `clone.unknown` when no clone has the id, `clone.not_owner`
    /// when the address asking as owner is not its creator.
    public func clone(_ cloneId: String, as audience: CloneAudience, artifacts: any ArtifactStore) throws -> CloneView {
        let row = try publicClone(cloneId)
        var state = CloneState(cloneId: cloneId)
        state.creator = row.string("owner") ?? ""
        guard try state.showsStrategy(to: audience), let hash = row.string("strategy_hash") else { return CloneView(clone: row, strategy: nil) }
        return CloneView(clone: row, strategy: try StrategyGraph.decode(try artifacts.get(hash)))
    }

    /// What anyone may see of one clone; `clone.unknown` when no clone has the id.
    public func publicClone(_ cloneId: String) throws -> QueryRow {
        guard let row = try publicClones(cloneId: cloneId, owner: nil).first else {
            throw DomainError("clone.unknown", "no clone has id \(cloneId); `clash clones list` shows the clones")
        }
        return row
    }

    func publicClones(cloneId: String?, owner: String?) throws -> [QueryRow] {
        try access.read("clones") { db in
            try QueryRow.fetchAll(db, """
                SELECT audition_fee_wei, avatar_text, clone_id, created_ms, granularity, name, owner, retired_ms, status, strategy_changes,
                       strategy_hash, tagline FROM clone WHERE (?1 IS NULL OR clone_id = ?1) AND (?2 IS NULL OR owner = ?2) ORDER BY created_sequence
                """, [cloneId, owner]).map { row in
                    // A clone not retired has no retirement time at all, not a null one.
                    QueryRow(columns: row.columns.filter { $0.name != "retired_ms" || $0.value != .null })
                }
        }
    }
}
