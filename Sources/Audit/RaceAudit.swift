import ClashCore
import Domain
import EventSchemas
import LedgerLog
import Runtime
import Transparency

/// Why a race cannot be audited (exit 2): a missing artifact, a policy or engine version this build
/// does not know, a race that has not ended.
public enum AuditError: Error, Sendable, CustomStringConvertible {
    case cannotAudit(String)

    public var description: String {
        switch self {
        case .cannotAudit(let reason): reason
        }
    }
}

/// A race checked against a re-run of it from the log (and the artifact store) alone.
public struct RaceAuditReport: Sendable {
    public var raceId: String
    /// The first event, in log order, whose recomputation differs from what the log holds.
    public var divergence: Divergence?
    /// How many events differ (or are on one side only).
    public var divergences: Int
    /// Events recomputed and compared with the log.
    public var eventsCompared: Int
    public var racers: Int
    public var runs: Int
    public var fills: Int
    /// Sequences of the race's ending and settlement (or cancellation).
    public var endedSequence: UInt64?
    public var settledSequence: UInt64?
    public var fromMs: Int64?
    public var toMs: Int64?

    public var matches: Bool { divergence == nil }
}

/// `clash race audit`: rebuilds a race's world from the log — every run's packet (its hash), every
/// decision (the rules engine decides again; a model's answers are read from their recorded
/// exchanges), gate, order, fill, funding payment, liquidation and mark, the ranking and the
/// settlement — and compares each event with the one the log holds under the same id.
///
/// The runtime re-runs the race exactly as the arena ran it (`RaceTrading`), over a view of the log
/// that reads the logged history and compares instead of appending, and an artifact store that
/// reads and never writes: an audit changes nothing.
public enum RaceAudit {
    /// `treeDirectory`: the log's Merkle tree sidecar, read only, when there is one (the rest is hashed in memory).
    public static func audit(raceId: String, log: any LogReading, artifacts: any ArtifactStore, treeDirectory: String? = nil) throws -> RaceAuditReport {
        let raceStream = RaceDecider.stream(raceId)
        let raceRecords = try log.read(stream: raceStream)
        guard !raceRecords.isEmpty else { throw AuditError.cannotAudit("no race has id \(raceId) in this log; `clash races list` lists them") }
        var state = RaceState(raceId: raceId)
        var before: [UInt64: RaceState] = [:]
        var started: LogRecord?, ended: LogRecord?, settled: LogRecord?, cancelled: LogRecord?
        for record in raceRecords {
            let event = try EventCatalog.decode(record)
            before[record.sequence] = state
            RaceDecider.apply(event, to: &state)
            switch event {
            case is RaceStarted: started = record
            case is RaceEnded: ended = record
            case is RaceSettled: settled = record
            case is RaceCancelled: cancelled = record
            default: break
            }
            if let policy = (event as? RaceSettled)?.settlementPolicy ?? (event as? RaceOpened)?.settlementPolicy, policy != Settlement.policyVersion {
                throw AuditError.cannotAudit("\(record.type) at sequence \(record.sequence) follows settlement policy v\(policy); this build knows v\(Settlement.policyVersion)")
            }
        }
        var report = RaceAuditReport(raceId: raceId, divergence: nil, divergences: 0, eventsCompared: 0, racers: 0, runs: 0, fills: 0)
        if let cancelled {
            return try auditCancellation(cancelled, state: before[cancelled.sequence]!, raceRecords: raceRecords, log: log, report: report)
        }
        guard let started, let ended else {
            throw AuditError.cannotAudit("race \(raceId) is \(state.phase.rawValue); an audit needs a race that has run and ended")
        }
        let rankingPolicy = try EventCatalog.decode(ended, as: RaceEnded.self).rankingPolicy
        guard RankingPolicy.known.contains(rankingPolicy) else {
            throw AuditError.cannotAudit("race.ended at sequence \(ended.sequence) follows ranking policy v\(rankingPolicy); this build knows v\(RankingPolicy.known.lowerBound) to v\(RankingPolicy.known.upperBound)")
        }
        let atEnd = before[ended.sequence]!
        let lineup = atEnd.lineup
        report.racers = lineup.count
        report.fromMs = started.timestampMs
        report.toMs = ended.timestampMs
        report.endedSequence = ended.sequence
        report.settledSequence = settled?.sequence

        // The racers' clones as the log left them when the race ended, and what they logged in it.
        let runStreams = lineup.flatMap { [Streams.run(clone: $0, competition: raceId), Streams.account(clone: $0, competition: raceId)] }
        let streams = try log.read(streams: Set(runStreams + lineup.map(CloneDecider.stream) + [KillSwitchSet.stream]))
        var clones: [String: CloneState] = [:]
        for id in lineup {
            clones[id] = try CloneState.folded(id, (streams[CloneDecider.stream(id)] ?? []).filter { $0.sequence < ended.sequence })
        }
        let logged = runStreams.flatMap { streams[$0] ?? [] } + [ended] + (settled.map { [$0] } ?? [])
        let fillPolicy = try fillPolicy(logged)
        let recomputing = RecomputingLog(logged: log, expected: logged)
        let reader = AuditArtifacts(artifacts)
        let engines = try Dictionary(uniqueKeysWithValues: lineup.map { id in
            let first = try (streams[Streams.run(clone: id, competition: raceId)] ?? []).lazy.filter { $0.type == DecisionProposed.type }.first.map {
                ($0.sequence, try EventCatalog.decode($0, as: DecisionProposed.self))
            }
            return (id, try AuditEngine(first: first?.1, sequence: first?.0, artifacts: reader) as any DecisionEngine)
        })

        let session = try RaceTrading.session(log: recomputing, artifacts: reader, raceId: raceId, lineup: lineup,
                                              graph: { try StrategyGraph.decode(try artifacts.get(clones[$0]!.strategyHash)) },
                                              engine: { engines[$0]! }, fromMs: started.timestampMs, toMs: ended.timestampMs,
                                              startingEquityE6: atEnd.startingEquityE6, storePackets: true, fillPolicy: fillPolicy)
        precondition(session.streamsRead.isSubset(of: Set(runStreams + [KillSwitchSet.stream])), "the audit reads every stream the session starts from")
        let traded = try session.run(streams: streams)
        report.runs = traded.reduce(0) { $0 + $1.runs }
        report.fills = traded.reduce(0) { $0 + $1.fills }
        let standings = RaceTrading.standings(lineup: lineup, closing: try session.closingMarks())

        // The ranking, then the settlement from the recomputed ranking and the logged tickets.
        // Under the ranking policy the race ended under: a race ranked by v1 audits under v1.
        let endEvents = try RaceDecider.decide(.end(standings: standings, rankingPolicy: rankingPolicy), atEnd)
        for event in endEvents {
            recomputing.check(try event.draft(id: ended.id, stream: raceStream, timestampMs: ended.timestampMs))
        }
        if let settled {
            let afterEnd = endEvents.reduce(atEnd, RaceDecider.evolve)
            let size = ended.sequence
            let chain = try log.chain(endingAt: size)?.hex ?? ""
            let tree = try LogTree(log: log, directory: treeDirectory, readOnly: true)
            try tree.catchUp(through: size)
            let root = try tree.root(size: size).hex
            let creators = lineup.reduce(into: [String: String]()) { $0[$1] = clones[$1]?.creator ?? "" }
            let settle = try RaceDecider.decide(.settle(creators: creators, dependsOnSequence: Int64(size), dependsOnChain: chain,
                                                        dependsOnTreeRoot: root), afterEnd)
            for event in settle {
                recomputing.check(try event.draft(id: settled.id, stream: raceStream, timestampMs: settled.timestampMs))
            }
        }
        return finish(report, recomputing)
    }

    /// A cancelled race: the cancellation and every refund, from the race as it stood.
    static func auditCancellation(_ cancelled: LogRecord, state: RaceState, raceRecords: [LogRecord], log: any LogReading,
                                  report: RaceAuditReport) throws -> RaceAuditReport {
        let reason = try EventCatalog.decode(cancelled, as: RaceCancelled.self).reason
        let logged = raceRecords.filter { $0.sequence >= cancelled.sequence }
        let recomputing = RecomputingLog(logged: log, expected: logged)
        for event in try RaceDecider.decide(.cancel(reason: reason), state) {
            recomputing.check(try event.draft(id: ArenaScheduler.eventId(event, race: state.raceId), stream: cancelled.stream,
                                              timestampMs: cancelled.timestampMs))
        }
        var report = report
        report.settledSequence = cancelled.sequence
        return finish(report, recomputing)
    }

    static func finish(_ report: RaceAuditReport, _ recomputing: RecomputingLog) -> RaceAuditReport {
        var report = report
        let all = recomputing.divergences + recomputing.unmatched()
        report.divergences = all.count
        report.eventsCompared = recomputing.compared
        report.divergence = all.min { ($0.sequence ?? .max, $0.id) < ($1.sequence ?? .max, $1.id) }
        return report
    }

    /// The paper fill policy the race was traded by: its fills' (one version, one this build can
    /// apply); the current one for a race without fills.
    static func fillPolicy(_ records: [LogRecord]) throws -> Int64 {
        var found: (policy: Int64, sequence: UInt64)?
        for record in records where record.type == Fill.type {
            let policy = try EventCatalog.decode(record, as: Fill.self).fillPolicy
            guard FillPolicy.versions.contains(policy) else {
                throw AuditError.cannotAudit("the fill at sequence \(record.sequence) follows paper fill policy v\(policy); this build knows v\(FillPolicy.versions.lowerBound) to v\(FillPolicy.versions.upperBound)")
            }
            if let found, found.policy != policy {
                throw AuditError.cannotAudit("the fills at sequences \(found.sequence) and \(record.sequence) follow paper fill policies v\(found.policy) and v\(policy); a race is traded by one")
            }
            found = found ?? (policy, record.sequence)
        }
        return found?.policy ?? FillPolicy.version
    }
}
