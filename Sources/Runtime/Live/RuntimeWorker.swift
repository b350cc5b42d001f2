import Domain
import EventSchemas
import Foundation
import LedgerLog

/// The runtime in real time: it follows the log as ingestion appends market data, and trades every
/// active clone (or the ones named) at the market's newest time. Time is still the market data's:
/// each cycle steps every clone minute by minute from where the log leaves it to the newest
/// market minute — marks, stop losses and take profits, hourly funding, liquidation — but runs
/// only what is due now. A run that came due while no worker ran (its plan is due again by now)
/// is recorded as `runtime.run_skipped`, never run late in a burst of catch-up calls.
public final class RuntimeWorker {
    public struct Settings: Sendable {
        /// The competition the accounts belong to.
        public var competitionId: String
        /// The clones to trade; nil for every clone that is not retired (new ones join as created).
        public var cloneIds: [String]?

        public init(competitionId: String = "free", cloneIds: [String]? = nil) {
            self.competitionId = competitionId
            self.cloneIds = cloneIds
        }
    }

    /// What one cycle did.
    public struct Cycle: Sendable, Equatable {
        /// The newest market minute seen (nil: no market yet).
        public var marketMs: Int64?
        public var runs = 0, skipped = 0, fills = 0, events = 0
        /// Clones whose strategy did not validate against the market at the last step (an asset not
        /// listed yet, or delisted): their runs are recorded as skipped (`strategy_invalid`) until it
        /// validates again; the others trade on. By clone, the first problem's code.
        public var waiting: [String: String] = [:]
    }

    public let log: any LogStore
    let artifacts: any ArtifactStore
    let engine: (String) throws -> any DecisionEngine
    let settings: Settings
    let pipeline: ContextPipeline
    /// The views every clone's packets are assembled over.
    let views = AssetViews()
    var runs: [String: TradingRun] = [:]
    /// The clones' resume times not reached yet (a clone joins the step when time reaches it).
    var pending: [String: Int64] = [:]
    var cursor: Int64?
    var clonesReadThrough: UInt64 = 0
    var known: Set<String> = []
    /// Each joining clone's strategy, as the log held it when the clone was found.
    var strategies: [String: String] = [:]

    /// `engine` gives each clone's engine (one shared model engine keeps one concurrency limit).
    public init(log: any LogStore, artifacts: any ArtifactStore, settings: Settings, engine: @escaping (String) throws -> any DecisionEngine) throws {
        self.log = log
        self.artifacts = artifacts
        self.settings = settings
        self.engine = engine
        pipeline = try ContextPipeline(log: log)
    }

    static let stepMs: Int64 = 60_000

    /// A candle series the active clones' plans read (their candle channels, and the candles their
    /// volatility is measured on), with the open time of the newest exchange candle folded so far.
    public struct CandleRead: Hashable, Sendable {
        public var symbol: String
        public var interval: String
        public var intervalMs: Int64
        public var lookback: Int
        public var loggedThroughMs: Int64?
    }

    /// The candles realized volatility is measured on: 1-minute over the hour, 5-minute over four
    /// hours, 15-minute over a day.
    public static let volatilityCandles: [(interval: String, lookback: Int)] = [("1m", 60), ("5m", 48), ("15m", 96)]

    /// What the active clones' plans read of exchange candles now: live, a candle feed keeps these
    /// logged (`hyperliquid.candles`), so packets carry fresh candles and a replay the same ones.
    public func candleReads() throws -> [CandleRead] {
        var wanted: [String: CandleRead] = [:]
        for run in runs.values {
            for plan in run.plans {
                var series: [(interval: String, lookback: Int)] = []
                for channel in plan.channels where channel.source == "hyperliquid" {
                    if channel.name == "candles", let interval = channel.interval { series.append((interval, channel.lookback ?? 1)) }
                    if channel.name == "volatility" { series += Self.volatilityCandles }
                }
                for (interval, lookback) in series {
                    guard let length = DataChannels.candleIntervals[interval]?.milliseconds else { continue }
                    let key = plan.asset + " " + interval
                    if let known = wanted[key] {
                        wanted[key]!.lookback = max(known.lookback, lookback)
                    } else {
                        let logged = try pipeline.replica.withMemory { try $0.newestExchangeCandleOpen(plan.asset, interval: interval) }
                        wanted[key] = CandleRead(symbol: plan.asset, interval: interval, intervalMs: length, lookback: lookback, loggedThroughMs: logged)
                    }
                }
            }
        }
        return wanted.keys.sorted().map { wanted[$0]! }
    }

    /// One cycle: reads what was appended, steps every clone to the newest market minute, appends
    /// each step's events atomically.
    public func cycle() throws -> Cycle {
        guard let newest = try pipeline.replica.newestInLog() else { return Cycle() }
        let now = newest - newest % Self.stepMs
        var cycle = Cycle(marketMs: now)
        try discoverClones(now: now)
        guard var time = cursor, time <= now else { return cycle }
        while time <= now {
            try pipeline.advance(to: time)
            for (id, start) in pending where start <= time {
                pending[id] = nil
                try joinRun(id, at: time)
            }
            let active = runs.keys.sorted().map { runs[$0]! }
            var drafts: [EventDraft] = []
            let due = try active.map { run -> [TradingRun.PendingRun] in
                run.caughtUpMs = now
                return try run.prepare(at: time)
            }
            // A clone whose strategy does not validate at this minute (an asset not listed yet, or
            // delisted since) has its runs recorded as skipped with the problem's code and trades
            // again from the first minute it validates; the others trade on.
            cycle.waiting = [:]
            for run in active { if let problem = run.invalidProblem { cycle.waiting[run.settings.cloneId] = problem } }
            var answers = TradingRun.decideAll(due.flatMap { $0 }, views: views)[...]
            for (index, run) in active.enumerated() {
                let before = (run.summary.runs, run.summary.fills)
                try run.complete(due[index], answers: Array(answers.prefix(due[index].count)), at: time)
                answers = answers.dropFirst(due[index].count)
                cycle.runs += run.summary.runs - before.0
                cycle.fills += run.summary.fills - before.1
                cycle.skipped += run.drafts.filter { $0.type == RunSkipped.type }.count
                drafts += run.drafts
                run.drafts.removeAll(keepingCapacity: true)
            }
            if !drafts.isEmpty, try log.append(drafts).written { cycle.events += drafts.count }
            time += Self.stepMs
        }
        cursor = time
        try artifacts.flush()
        return cycle
    }

    /// Finds the clones to trade (new ones since the last look) and where each resumes: the step
    /// after its competition's last event, or now for a clone that never traded in it.
    func discoverClones(now: Int64) throws {
        var found = (settings.cloneIds ?? []).filter { !known.contains($0) }
        try log.forEach(from: clonesReadThrough + 1, filter: .all) { record in
            switch record.type {
            case CloneCreated.type where settings.cloneIds == nil:
                found.append(try EventCatalog.decode(record, as: CloneCreated.self).cloneId)
            case CloneRetired.type:
                let id = try EventCatalog.decode(record, as: CloneRetired.self).cloneId
                runs[id] = nil
                pending[id] = nil
            default: break
            }
            clonesReadThrough = record.sequence
            return true
        }
        let new = found.filter { !known.contains($0) }
        guard !new.isEmpty else { return }
        // The new clones' own streams and their competition's, in one pass over the log.
        let competition = settings.competitionId
        let streams = try log.read(streams: Set(new.flatMap { [CloneDecider.stream($0), Streams.run(clone: $0, competition: competition), Streams.account(clone: $0, competition: competition)] }))
        for id in new where !known.contains(id) {
            known.insert(id)
            let state = try CloneState.folded(id, streams[CloneDecider.stream(id)] ?? [])
            guard state.exists, !state.retired else { continue }
            strategies[id] = state.strategyHash
            let last = ["run", "account"].compactMap { streams["\($0).\(id).\(competition)"]?.last?.timestampMs }.max()
            // Never behind the steps already taken: time only moves forward.
            let start = max(last.map { $0 - $0 % Self.stepMs + Self.stepMs } ?? now, cursor ?? .min)
            pending[id] = start
            cursor = min(cursor ?? start, start)
        }
    }

    /// A clone joins the steps at `time`, its account taken up where the log leaves it.
    func joinRun(_ id: String, at time: Int64) throws {
        let graph = try StrategyGraph.decode(try artifacts.get(strategies[id]!))
        let run = try TradingRun(log: log, artifacts: artifacts, graph: graph, engine: try engine(id),
                                 settings: .init(cloneId: id, competitionId: settings.competitionId, fromMs: time, toMs: .max,
                                                 cadenceOriginMs: 0),
                                 pipeline: pipeline)
        try run.start()
        runs[id] = run
    }
}
