import ClashCore
import Domain
import EventSchemas
import Foundation
import LedgerLog
import Projections

/// One clone trading on paper in simulated time over the logged market: the market data's time,
/// never the wall clock, so the same log, graph, engine and seed append the same events. Every
/// step is an event: run due → context assembled (the packet in the artifact store) → decision
/// proposed → gate rejected, or dry-run order and paper fill; stop losses and take profits fill
/// when a later mid sets them off; funding is paid each hour; an account under maintenance margin
/// is liquidated. Event ids come from the run, so running the same span again writes nothing.
public final class TradingRun {
    public struct Settings: Sendable {
        public var cloneId: String
        /// The competition the account belongs to (an audition or race id, or a free run's name).
        public var competitionId: String
        /// audition, race or free.
        public var competitionKind: String
        public var fromMs: Int64
        public var toMs: Int64
        public var startingEquityE6: Int64
        /// The kill switch before any `runtime.kill_switch_set` event in the log says otherwise.
        public var killSwitch: Gates.KillSwitch
        /// Whether each packet goes to the artifact store (its hash is always in the log). A packet
        /// is a pure function of the log prefix and the plan, so an audit or `pipeline preview --at`
        /// builds it again byte for byte; simulations at scale may leave them out.
        public var storePackets: Bool
        /// Only this asset's runs (a single run, `runtime run-once`); nil for every asset.
        public var onlyAsset: String?
        /// Where cadences are counted from: a plan is due at the times `origin + k × cadence`
        /// (nil: the span's start; the worker counts from the epoch, so restarts keep the beat).
        public var cadenceOriginMs: Int64?
        /// The paper fill policy the account trades by (`FillPolicy.versions`; an audit replays a
        /// competition under the version its fills record).
        public var fillPolicy: Int64 = FillPolicy.version

        public init(cloneId: String, competitionId: String, competitionKind: String = "free", fromMs: Int64, toMs: Int64,
                    startingEquityE6: Int64 = PaperAccount.startingEquityDefaultE6, killSwitch: Gates.KillSwitch = .running,
                    storePackets: Bool = true, onlyAsset: String? = nil, cadenceOriginMs: Int64? = nil) {
            self.storePackets = storePackets
            self.cadenceOriginMs = cadenceOriginMs
            self.onlyAsset = onlyAsset
            self.cloneId = cloneId
            self.competitionId = competitionId
            self.competitionKind = competitionKind
            self.fromMs = fromMs
            self.toMs = toMs
            self.startingEquityE6 = startingEquityE6
            self.killSwitch = killSwitch
        }
    }

    /// What a run did, counted (`events`: those written; a span run again writes none).
    public struct Summary: Sendable, Equatable {
        public var runs = 0, holds = 0, rejections = 0, fills = 0, triggers = 0, fundingPayments = 0, liquidations = 0, events = 0
        /// Decisions that failed in the engine (a hold forced by an error, a timeout, a bad answer).
        public var engineFailures = 0
        /// Runs of each hour (from the span's start) by asset, for every asset the plans of that hour
        /// named (0 when none ran).
        public var runsByHourAndAsset: [Int64: [String: Int]] = [:]
        /// The fewest runs of any planned asset in any hour of the span.
        public var minRunsPerAssetHour: Int {
            runsByHourAndAsset.values.flatMap(\.values).min() ?? 0
        }
        public var account: PaperAccount
        public var marks: [String: Int64] = [:]
        public var rejectionCodes: [String: Int] = [:]
    }

    let log: any LogStore
    let artifacts: any ArtifactStore
    let graph: StrategyGraph
    let engine: any DecisionEngine
    let settings: Settings
    let pipeline: ContextPipeline
    /// The views this run's packets are assembled over (when it runs alone).
    let views = AssetViews()
    var account: PaperAccount
    var lastOrderMs: [String: Int64] = [:]
    /// In real time, the newest market time the runtime has seen: a run due at t whose plan is
    /// due again by then (t + cadence ≤ it) was missed, and is recorded as skipped, not run late.
    var caughtUpMs: Int64?
    /// The decisions the log already holds for this clone and competition, by event id (decoded
    /// only when a run's answer needs more than its engine's name).
    var recorded: [String: LogRecord] = [:]
    var marks: [String: Int64] = [:]
    var summary: Summary
    var drafts: [EventDraft] = []

    var plans: [ReadPlan] = []
    /// While the strategy does not validate against the market (an asset not listed yet, or
    /// delisted since): the first problem's code. Its runs are recorded as skipped with it, the
    /// plans are tried again every minute, and it trades again from the first minute they validate.
    var invalidProblem: String?
    /// The listing the plans were made against (`MarketReplica.listingSequence`).
    var plannedListing: UInt64 = 0
    /// The kill switch's changes in the log, by time.
    var killSwitchChanges: [(ms: Int64, state: Gates.KillSwitch)] = []
    let prompts: [String: String]

    /// A run over its own market view, or over `pipeline`, shared by the runs a `TradingSession`
    /// steps together.
    public init(log: any LogStore, artifacts: any ArtifactStore, graph: StrategyGraph, engine: any DecisionEngine, settings: Settings,
                pipeline: ContextPipeline? = nil) throws {
        precondition(settings.toMs > settings.fromMs, "a run spans some time")
        self.log = log
        self.artifacts = artifacts
        self.graph = graph
        self.engine = engine
        self.settings = settings
        self.pipeline = try pipeline ?? ContextPipeline(log: log)
        account = PaperAccount(startingEquityE6: settings.startingEquityE6)
        summary = Summary(account: account)
        prompts = Dictionary(graph.blocks.map { ($0.id, $0.prompt ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    /// The step every run of the session needs: a minute, or a divisor of its cadences.
    var stepMs: Int64 { plans.reduce(Int64(60_000)) { gcd($0, $1.cadenceMs) } }

    var runStream: String { Streams.run(clone: settings.cloneId, competition: settings.competitionId) }
    var accountStream: String { Streams.account(clone: settings.cloneId, competition: settings.competitionId) }

    /// Steps through [from, to): every minute (and every cadence's multiple), the market folded to
    /// the step, triggers, funding, liquidation, then the runs due.
    public func run() throws -> Summary {
        try pipeline.advance(to: settings.fromMs)
        try start()
        var time = settings.fromMs
        while time < settings.toMs {
            try pipeline.advance(to: time)
            try step(at: time)
            time += stepMs
            if Self.flushes(before: time, pending: drafts.count) || time >= settings.toMs { try flush() }
        }
        try artifacts.flush()
        return finish()
    }

    /// Compiles the plans as of the start (the pipeline already there), and takes up the account
    /// where the log leaves it: a competition traded in several spans is one account.
    func start() throws {
        try start(streams: try log.read(streams: streamsRead))
    }

    /// The streams a start reads: the kill switch's, and the run's and account's.
    var streamsRead: Set<String> { [KillSwitchSet.stream, runStream, accountStream] }

    /// Starts from records already read (a session reads every run's streams in one pass).
    func start(streams: [String: [LogRecord]]) throws {
        try replan()
        try takeKillSwitch(streams[KillSwitchSet.stream] ?? [])
        recorded = [:]
        lastOrderMs = [:]
        for record in streams[runStream] ?? [] {
            if record.type == DecisionProposed.type, record.timestampMs >= settings.fromMs, record.timestampMs < settings.toMs {
                recorded[record.id] = record
            } else if record.type == OrderDryRun.type, record.timestampMs < settings.fromMs, record.id.hasPrefix("run-") {
                lastOrderMs[try EventCatalog.decode(record, as: OrderDryRun.self).asset] = record.timestampMs
            }
        }
        account = try PaperAccount.folded(run: streams[runStream] ?? [], account: streams[accountStream] ?? [],
                                          startingEquityE6: settings.startingEquityE6, beforeMs: settings.fromMs)
    }

    /// The kill switch's changes as the log holds them (a run stepped in parts learns of newer ones).
    func takeKillSwitch(_ records: [LogRecord]) throws {
        killSwitchChanges = try records.compactMap { record in
            let set = try EventCatalog.decode(record, as: KillSwitchSet.self)
            return Gates.KillSwitch(rawValue: set.state).map { (record.timestampMs, $0) }
        }.sorted { $0.ms < $1.ms }
    }

    /// One step at `time`, the pipeline already there: marks and triggers, funding on the hour,
    /// liquidation, the runs due. Its events wait in `drafts`.
    func step(at time: Int64) throws {
        let due = try prepare(at: time)
        try complete(due, answers: Self.decideAll(due, views: views), at: time)
    }

    /// The first half of a step: marks and triggers, funding, liquidation, then the runs due with
    /// their packets, not yet decided.
    func prepare(at time: Int64) throws -> [PendingRun] {
        if (time != settings.fromMs && time % 3_600_000 == 0) || invalidProblem != nil || pipeline.replica.listingSequence != plannedListing {
            // Asset selections (categories, Trending) are expanded anew each hour and whenever the
            // listing changes (an asset listed or delisted); a strategy that did not validate is
            // tried again each minute.
            try replan()
        }
        let hour = (time - settings.fromMs) / 3_600_000
        if (time - settings.fromMs) % 3_600_000 == 0 {
            // Every asset planned this hour counts, whether or not it runs.
            for plan in plans where (settings.onlyAsset ?? plan.asset) == plan.asset && summary.runsByHourAndAsset[hour]?[plan.asset] == nil {
                summary.runsByHourAndAsset[hour, default: [:]][plan.asset] = 0
            }
            // An hour the strategy could not be planned in counts as an hour without decisions on
            // the assets it names (an audition judges that as it judges any idle hour).
            if invalidProblem != nil {
                for asset in graph.namedRuns.flatMap(\.assets) where summary.runsByHourAndAsset[hour]?[asset] == nil {
                    summary.runsByHourAndAsset[hour, default: [:]][asset] = 0
                }
            }
        }
        if settings.fillPolicy >= 2 {
            // The exchange liquidates an account under maintenance before a trigger the same move
            // set off is filled; after the triggers and funding, only a change can put it under.
            try markPositions()
            try liquidateIfUnder(at: time)
            let before = (summary.triggers, summary.fundingPayments)
            try markAndTrigger(at: time)
            if time % 3_600_000 == 0 { try payFunding(at: time) }
            if (summary.triggers, summary.fundingPayments) != before { try liquidateIfUnder(at: time) }
        } else {
            try markAndTrigger(at: time)
            // Each hour's funding on the positions held at its end; a span starting on the hour pays
            // for what an earlier span left open, so spans add up to one run.
            if time % 3_600_000 == 0 { try payFunding(at: time) }
            try liquidateIfUnder(at: time)
        }
        if time % 3_600_000 == 0 { try markAccount(at: time) }
        var due: [PendingRun] = []
        var skipped: [String] = []
        let origin = settings.cadenceOriginMs ?? settings.fromMs
        for plan in plans where (time - origin) % plan.cadenceMs == 0 && (settings.onlyAsset ?? plan.asset) == plan.asset {
            if let caughtUpMs, time + plan.cadenceMs <= caughtUpMs {
                if !skipped.contains(plan.asset) { skipped.append(plan.asset) }
                continue
            }
            let runId = "run-\(settings.cloneId)-\(settings.competitionId)-\(plan.prompt)-\(plan.asset)-\(time)"
            due.append(PendingRun(runId: runId, plan: plan, latest: try pipeline.latest(plan.asset), asOfMs: pipeline.asOfMs,
                                  throughSequence: pipeline.throughSequence, position: account.positions[plan.asset],
                                  promptText: prompts[plan.prompt] ?? "", engine: engine, recorded: recorded[runId + ".decision"]))
        }
        if let caughtUpMs, !skipped.isEmpty {
            try add(RunSkipped(cloneId: settings.cloneId, competitionId: settings.competitionId, dueMs: time, assets: skipped, caughtUpMs: caughtUpMs),
                    id: "skipped-\(settings.cloneId)-\(settings.competitionId)-\(time)", stream: runStream, at: time)
        }
        if let invalidProblem {
            let assets = Set(graph.namedRuns.filter { (time - origin) % $0.cadenceMs == 0 && !$0.assets.isEmpty }.flatMap(\.assets)).sorted()
            if !assets.isEmpty {
                try add(RunSkipped(cloneId: settings.cloneId, competitionId: settings.competitionId, dueMs: time, assets: assets,
                                   caughtUpMs: caughtUpMs ?? time, reason: RunSkipped.strategyInvalid, problem: invalidProblem),
                        id: "invalid-\(settings.cloneId)-\(settings.competitionId)-\(time)", stream: runStream, at: time)
            }
        }
        return due
    }

    /// The plans as the market now stands, or none while the strategy does not validate against it.
    func replan() throws {
        plannedListing = pipeline.replica.listingSequence
        do {
            plans = try pipeline.plans(graph)
            invalidProblem = nil
        } catch let problems as GraphProblems {
            plans = []
            invalidProblem = problems.problems.first?.code ?? "graph.invalid"
        }
    }

    /// The second half: each run's events in order, gates against the account as it stands. It
    /// reads nothing of the pipeline, which may meanwhile move on to the next step.
    func complete(_ due: [PendingRun], answers: [Result<EngineAnswer, any Error>], at time: Int64) throws {
        for (run, answer) in zip(due, answers) {
            try record(run.input, answer: try answer.get(), throughSequence: run.throughSequence, at: time)
        }
    }

    /// A run due: what its input is made of, read from the market as of its time; `recorded`: its
    /// decision when the log already holds one; `throughSequence`: the last market event its packet
    /// depends on. Its packet is put together later (`assemble`), off the thread that moves the
    /// market. (A class: runs are handed between arrays and threads by reference, not copied.)
    final class PendingRun: @unchecked Sendable {
        let runId: String
        let plan: ReadPlan
        let latest: AssetLatest?
        let asOfMs: Int64
        let throughSequence: UInt64
        let position: PaperAccount.Position?
        let promptText: String
        let engine: any DecisionEngine
        let recorded: LogRecord?
        /// The engine's input, once assembled.
        private(set) var input: EngineInput!

        init(runId: String, plan: ReadPlan, latest: AssetLatest?, asOfMs: Int64, throughSequence: UInt64, position: PaperAccount.Position?,
             promptText: String, engine: any DecisionEngine, recorded: LogRecord?) {
            self.runId = runId
            self.plan = plan
            self.latest = latest
            self.asOfMs = asOfMs
            self.throughSequence = throughSequence
            self.position = position
            self.promptText = promptText
            self.engine = engine
            self.recorded = recorded
        }

        /// Builds the packet over the asset's view (one view per asset, shared by the runs of a step).
        func assemble(views: AssetViews) throws {
            let view = try views.view(plan.asset, asOfMs: asOfMs, latest: latest)
            input = EngineInput(runId: runId, plan: plan, packet: ContextPacket.build(plan: plan, view: view, throughSequence: throughSequence),
                                latest: latest, position: position, promptText: promptText)
        }

        /// The answer: a recorded run's from its records (never a new call; a record that cannot
        /// be read is an error, not a hold), else the engine's (an engine's failure is a hold).
        /// A pure engine that made the recorded decision decides again without the record decoded.
        func answer() -> Result<EngineAnswer, any Error> {
            guard let recorded else {
                do {
                    return .success(try engine.decide(input))
                } catch {
                    return .success(EngineAnswer(decision: .hold("the engine failed: \(error)"), holdCause: "engine_error"))
                }
            }
            return Result {
                if !engine.readsRecords, try Self.engineName(recorded) == engine.name { return try engine.decide(input) }
                let decision = try EventCatalog.decode(recorded, as: DecisionProposed.self)
                guard decision.engine == engine.name else { return EngineAnswer(recorded: decision) }
                return try engine.replay(input, recorded: decision)
            }
        }

        /// The `engine` member of a logged decision, read without decoding the rest.
        static func engineName(_ record: LogRecord) throws -> String? {
            var name: String?
            try PayloadFields.scan(record.payload) { key, value in
                if case .string(let text) = value, PayloadFields.key(key, is: "engine") { name = text }
            }
            return name
        }
    }

    /// Assembles each run's packet (a packet that cannot be built fails the step), then decides.
    static func decideAll(_ due: [PendingRun], views: AssetViews) -> [Result<EngineAnswer, any Error>] {
        decideAll(due, assembly: PacketAssembly(due, views: views))
    }

    /// Decides runs in order once `assembly` (of the same runs) is finished; when an engine calls
    /// out (a model), the runs are asked concurrently (the engine bounds what is in flight) and
    /// their answers kept in the runs' order.
    static func decideAll(_ due: [PendingRun], assembly: PacketAssembly) -> [Result<EngineAnswer, any Error>] {
        do {
            try assembly.finish()
        } catch {
            return due.map { _ in .failure(error) }
        }
        guard due.count > 1, due.contains(where: { $0.engine.callsOut && $0.recorded == nil }) else { return due.map { $0.answer() } }
        final class Answers: @unchecked Sendable {
            let lock = NSLock()
            var next = 0
            var answers: [Result<EngineAnswer, any Error>?]
            init(_ count: Int) { answers = Array(repeating: nil, count: count) }
        }
        let shared = Answers(due.count)
        let group = DispatchGroup()
        for _ in 0..<min(due.count, 64) {
            group.enter()
            Thread {
                while true {
                    let index: Int? = shared.lock.withLock { defer { shared.next += 1 }; return shared.next < due.count ? shared.next : nil }
                    guard let index else { break }
                    let answer = due[index].answer()
                    shared.lock.withLock { shared.answers[index] = answer }
                }
                group.leave()
            }.start()
        }
        group.wait()
        return shared.answers.map { $0! }
    }

    /// Hold causes that count as a failure of the engine.
    static let engineFailureCauses: Set<String> = ["engine_error", "timeout", "transport", "http_status", "unparseable", "schema"]

    /// The closing mark at the span's end (a race's or an audition's): the market moved to the end,
    /// every position marked, drawdown measured, `runtime.account_marked` appended. The figures a
    /// ranking or a verdict reads.
    public func closingMark() throws -> Summary {
        try pipeline.advance(to: settings.toMs)
        try markAccount(at: settings.toMs)
        try flush()
        return finish()
    }

    func finish() -> Summary {
        summary.account = account
        summary.marks = marks
        return summary
    }

    // MARK: - Steps

    func facts(_ asset: String) throws -> AssetLatest? { try pipeline.tradingFacts(asset) }

    /// Marks every position at its mid.
    func markPositions() throws {
        for asset in account.positions.keys {
            if let price = try facts(asset)?.price { marks[asset] = price.midE8 }
        }
    }

    /// Marks every position at its mid; fills the stop losses and take profits the mids set off.
    func markAndTrigger(at time: Int64) throws {
        for asset in account.positions.keys.sorted() {
            guard let price = try facts(asset)?.price, let position = account.positions[asset] else { continue }
            marks[asset] = price.midE8
            guard let trigger = position.trigger(midE8: price.midE8) else { continue }
            let id = "trigger-\(settings.cloneId)-\(settings.competitionId)-\(asset)-\(time)"
            let quote = Self.quote(try facts(asset))!
            let order = Gates.Order(sizeE8: -position.sizeE8, leverage: position.leverage, reduceOnly: true,
                                    priceE8: FillPolicy.price(quote, buy: position.sizeE8 < 0))
            try place(order, asset: asset, runId: id, quote: quote, cause: trigger.rawValue, at: time)
            summary.triggers += 1
        }
    }

    /// An hour's funding on every position: the rate and oracle price of market memory as of now.
    func payFunding(at time: Int64) throws {
        for asset in account.positions.keys.sorted() {
            guard let position = account.positions[asset], let latest = try facts(asset), let rate = latest.funding.currentE12,
                  let price = latest.price else { continue }
            let oracle = price.oraclePxE8 ?? price.midE8
            let amount = FillPolicy.funding(sizeE8: position.sizeE8, oraclePxE8: oracle, rateE12: rate)
            account = account.applying(.funding(asset: asset, amountE6: amount))
            summary.fundingPayments += 1
            try add(FundingPaid(cloneId: settings.cloneId, competitionId: settings.competitionId, asset: asset, hourMs: time,
                                positionE8: position.sizeE8, oraclePxE8: oracle, oracleSequence: price.contextSequence ?? price.sequence,
                                rateE12: rate, amountE6: amount, fillPolicy: settings.fillPolicy),
                    id: "funding-\(settings.cloneId)-\(settings.competitionId)-\(asset)-\(time)", stream: accountStream, at: time)
        }
    }

    /// The hourly mark: every position at its mid, the drawdown measured, the figures recorded
    /// with the mids and their log sequences.
    func markAccount(at time: Int64) throws {
        var used: [AccountMarked.Mark] = []
        for asset in account.positions.keys.sorted() {
            guard let price = try facts(asset)?.price else { continue }
            marks[asset] = price.midE8
            used.append(.init(asset: asset, midE8: price.midE8, midSequence: price.sequence ?? 0))
        }
        account.markDrawdown(marks: marks)
        let equity = account.equityE6(marks: marks)
        try add(AccountMarked(cloneId: settings.cloneId, competitionId: settings.competitionId, equityE6: equity, cashE6: account.cashE6,
                              unrealizedE6: equity - account.cashE6, realizedE6: account.realizedE6, feesE6: account.feesE6,
                              fundingE6: account.fundingE6, marginUsedE6: account.marginUsedE6, freeMarginE6: equity - account.marginUsedE6,
                              peakEquityE6: account.peakEquityE6, maxDrawdownBp: account.maxDrawdownBp, returnBp: account.returnBp(marks: marks),
                              marks: used),
                id: "mark-\(settings.cloneId)-\(settings.competitionId)-\(time)", stream: accountStream, at: time)
    }

    /// Below maintenance margin: every position closed at its mark.
    func liquidateIfUnder(at time: Int64) throws {
        guard !account.positions.isEmpty else { return }
        var maxLeverage: [String: Int64] = [:]
        for asset in account.positions.keys { maxLeverage[asset] = try facts(asset)?.maxLeverage }
        guard account.isLiquidatable(marks: marks, maxLeverage: maxLeverage) else { return }
        let equity = account.equityE6(marks: marks)
        for asset in account.positions.keys.sorted() {
            let position = account.positions[asset]!
            let mark = marks[asset] ?? position.entryPxE8
            try add(Liquidated(cloneId: settings.cloneId, asset: asset, positionE8: position.sizeE8, markPxE8: mark, equityE6: equity,
                               maintenanceMarginE6: FillPolicy.maintenanceMargin(sizeE8: position.sizeE8, markPxE8: mark,
                                                                                 maxLeverage: maxLeverage[asset] ?? position.leverage)),
                    id: "liquidation-\(settings.cloneId)-\(settings.competitionId)-\(asset)-\(time)", stream: accountStream, at: time)
        }
        account = account.applying(.liquidation(marks: marks))
        summary.liquidations += 1
    }

    /// One run's events: due, context (the packet stored), decision, then the gates' rejection or
    /// the order and its fill.
    func record(_ input: EngineInput, answer: EngineAnswer, throughSequence: UInt64, at time: Int64) throws {
        let (runId, plan, packet, latest) = (input.runId, input.plan, input.packet, input.latest)
        summary.runs += 1
        summary.runsByHourAndAsset[(time - settings.fromMs) / 3_600_000, default: [:]][plan.asset, default: 0] += 1
        if let cause = answer.holdCause, Self.engineFailureCauses.contains(cause) { summary.engineFailures += 1 }
        try add(RunDue(cloneId: settings.cloneId, runId: runId, asset: plan.asset, competitionKind: settings.competitionKind, competitionId: settings.competitionId,
                       cadenceMs: plan.cadenceMs), id: runId + ".due", stream: runStream, at: time, correlation: runId)
        // A packet is a pure function of the log and the plan: stored without waiting for the disk,
        // since `pipeline preview --at` or an audit builds it again, byte for byte, from its hash's inputs.
        if settings.storePackets { try artifacts.putDerivable(packet.bytes, hash: packet.hash) }
        try add(ContextAssembled(runId: runId, packetHash: packet.hash, throughSequence: Int64(throughSequence),
                                 bytes: Int64(packet.bytes.count)), id: runId + ".context", stream: runStream, at: time, correlation: runId)
        let decision = answer.decision
        try add(DecisionProposed(runId: runId, engine: engine.name, engineVersion: engine.version, action: decision.action.rawValue,
                                 sizeUsdE6: decision.sizeUsdE6, leverage: decision.leverage, stopLossE8: decision.stopLossE8,
                                 takeProfitE8: decision.takeProfitE8, confidenceBp: decision.confidenceBp,
                                 reason: String(decision.reason.prefix(Decision.reasonCharactersMax)), promptHash: answer.promptHash,
                                 exchangeHash: answer.exchangeHash, holdCause: answer.holdCause, engineSeed: engine.engineSeed.map { String($0) }),
                id: runId + ".decision", stream: runStream, at: time, correlation: runId)
        if let price = latest?.price { marks[plan.asset] = price.midE8 }
        let quote = Self.quote(latest)
        let context = Gates.Context(decision: decision, asset: plan.asset, controls: plan.execution, cadenceMs: plan.cadenceMs, nowMs: time,
                                    maxLeverage: latest.flatMap { $0.delisted ? nil : $0.maxLeverage }, quote: quote, quoteMs: latest?.price?.ts,
                                    account: account, marks: marks, killSwitch: killSwitch(at: time), lastOrderMs: lastOrderMs[plan.asset])
        switch Gates.check(context) {
        case nil:
            summary.holds += 1
        case .failure(let rejection)?:
            summary.rejections += 1
            summary.rejectionCodes[rejection.code, default: 0] += 1
            try add(GateRejected(runId: runId, gate: rejection.code, detail: rejection.detail), id: runId + ".gate", stream: runStream, at: time,
                    correlation: runId)
        case .success(let order)?:
            try place(order, asset: plan.asset, runId: runId, quote: quote!, cause: "decision", at: time,
                      stopLossE8: decision.action == .close ? nil : decision.stopLossE8,
                      takeProfitE8: decision.action == .close ? nil : decision.takeProfitE8)
            lastOrderMs[plan.asset] = time
        }
    }

    /// The kill switch at `time`: the last change stamped at or before it, else the setting.
    func killSwitch(at time: Int64) -> Gates.KillSwitch {
        killSwitchChanges.last { $0.ms <= time }?.state ?? settings.killSwitch
    }

    /// A dry-run order and its fill, applied to the account.
    func place(_ order: Gates.Order, asset: String, runId: String, quote: FillPolicy.Quote, cause: String, at time: Int64,
               stopLossE8: Int64? = nil, takeProfitE8: Int64? = nil) throws {
        let orderId = runId + ".order"
        let side = order.sizeE8 > 0 ? "buy" : "sell"
        try add(OrderDryRun(runId: runId, orderId: orderId, asset: asset, side: side, sizeE8: abs(order.sizeE8), leverage: order.leverage,
                            reduceOnly: order.reduceOnly), id: orderId, stream: runStream, at: time, correlation: runId)
        let notional = FillPolicy.notional(sizeE8: order.sizeE8, priceE8: order.priceE8)
        let fee = FillPolicy.fee(notionalE6: notional)
        try add(Fill(orderId: orderId, cloneId: settings.cloneId, competitionId: settings.competitionId, asset: asset, side: side, cause: cause,
                     sizeE8: abs(order.sizeE8), priceE8: order.priceE8, notionalE6: notional, feeE6: fee, midE8: quote.midE8,
                     midSequence: Int64(quote.midSequence), spreadBp: quote.spreadBp, spreadSequence: quote.spreadSequence.map(Int64.init),
                     slippageCentiBp: quote.spreadBp.map { $0 * 50 } ?? FillPolicy.slippageBpDefault * 100, fillPolicy: settings.fillPolicy),
                id: runId + ".fill", stream: accountStream, at: time, correlation: runId)
        account = account.applying(.fill(asset: asset, sizeE8: order.sizeE8, priceE8: order.priceE8, feeE6: fee, leverage: order.leverage,
                                         stopLossE8: stopLossE8, takeProfitE8: takeProfitE8))
        summary.fills += 1
    }

    // MARK: - Events

    /// The quote a fill uses: the mid and the book's spread, with their log sequences.
    static func quote(_ latest: AssetLatest?) -> FillPolicy.Quote? {
        guard let price = latest?.price else { return nil }
        let spread = latest?.liquidity.spreadBp
        return FillPolicy.Quote(midE8: price.midE8, midSequence: UInt64(max(price.sequence ?? 0, 0)), spreadBp: spread,
                                spreadSequence: spread == nil ? nil : latest?.liquidity.bookSequence.map { UInt64(max($0, 0)) })
    }

    func add<Event: CatalogEvent>(_ event: Event, id: String, stream: String, at time: Int64, correlation: String? = nil) throws {
        let causation = drafts.last.flatMap { $0.correlationId == correlation && correlation != nil ? $0.id : nil }
        drafts.append(try event.draft(id: id, stream: stream, timestampMs: time, correlationId: correlation, causationId: causation))
    }

    /// Whether the events gathered so far are appended before the step at `time`: on every hour,
    /// or once `appendRecordsMax` wait. A simulation appends an hour of steps at a time (a
    /// minute's append each waited for its fsync), and since the boundaries follow from the
    /// events alone, the batches — and so the hash chain — are the same on every run. Nothing a
    /// step reads depends on them being written: the market view reads market events only.
    static func flushes(before time: Int64, pending: Int) -> Bool {
        time % 3_600_000 == 0 || pending >= appendRecordsMax
    }

    /// The most events a simulation gathers before appending them (well inside a batch).
    static let appendRecordsMax = 8_192

    /// Appends the events gathered as one atomic append.
    func flush() throws {
        guard !drafts.isEmpty else { return }
        if try log.append(drafts).written { summary.events += drafts.count }
        drafts.removeAll(keepingCapacity: true)
    }
}

/// The greatest common divisor: the step that lands on every cadence.
func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }
