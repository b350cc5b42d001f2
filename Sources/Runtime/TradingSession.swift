import Dispatch
import Domain
import LedgerLog

/// Many clones trading the same span together (a race, a benchmark): one market view, advanced
/// once per step and shared by every clone, and one atomic append per step with every clone's
/// events of that step.
public final class TradingSession {
    public let pipeline: ContextPipeline
    let log: any LogStore
    let runs: [TradingRun]
    /// The views every clone's packets are assembled over.
    let views = AssetViews()
    let fromMs: Int64
    let toMs: Int64

    /// `clones`: each clone's graph, engine and settings (all of the same span); `pipeline`: a market
    /// view over the same log to move on, used when it is not yet past the span's start. A view
    /// moved on holds what a fresh one folded to the same time holds: the market events of the
    /// log's prefix up to the first one stamped later.
    public init(log: any LogStore, artifacts: any ArtifactStore,
                clones: [(graph: StrategyGraph, engine: any DecisionEngine, settings: TradingRun.Settings)],
                pipeline given: ContextPipeline? = nil) throws {
        precondition(!clones.isEmpty, "a session trades at least one clone")
        let from = clones[0].settings.fromMs
        let to = clones[0].settings.toMs
        precondition(clones.allSatisfy { $0.settings.fromMs == from && $0.settings.toMs == to }, "a session's clones trade the same span")
        self.log = log
        fromMs = from
        toMs = to
        if let given, given.asOfMs <= from {
            pipeline = given
        } else {
            pipeline = try ContextPipeline(log: log)
        }
        let shared = pipeline
        runs = try clones.map { try TradingRun(log: log, artifacts: artifacts, graph: $0.graph, engine: $0.engine, settings: $0.settings,
                                               pipeline: shared) }
    }

    /// The streams the session starts from: the kill switch's, and every clone's run and account.
    public var streamsRead: Set<String> { runs.reduce(into: Set<String>()) { $0.formUnion($1.streamsRead) } }

    /// Steps every clone from start to end; returns each clone's summary, in the order given.
    /// `streams`: the records of `streamsRead` when the caller has read them already (a stream
    /// missing from it is empty); else they are read from the log.
    public func run(streams given: [String: [LogRecord]]? = nil) throws -> [TradingRun.Summary] {
        try pipeline.advance(to: fromMs)
        let streams = try given ?? log.read(streams: streamsRead)
        for run in runs { try run.start(streams: streams) }
        let step = runs.reduce(Int64(60_000)) { gcd($0, $1.stepMs) }
        var time = fromMs
        var drafts: [EventDraft] = []
        var counts = [Int](repeating: 0, count: runs.count)
        /// Events gathered for one append, written by the next step's other thread.
        var ready: Append?
        var advanced = true
        while time < toMs {
            if !advanced { try pipeline.advance(to: time) }
            let due = try runs.map { try $0.prepare(at: time) }
            // On another thread: the last append, then every clone's runs due decided together
            // (concurrently when an engine calls out) and each clone's events made in the clones'
            // order — while this one moves the market to the next step and reads what its runs
            // will. The two share nothing: completing a run reads nothing of the pipeline, and
            // market data as of a time is the same whenever it is read.
            let next = time + step
            let appending = ready
            ready = nil
            let completing = Background { [runs, time, due, log, views] in
                try appending?.write(to: log, runs: runs)
                var answers = TradingRun.decideAll(due.flatMap { $0 }, views: views)[...]
                for (index, run) in runs.enumerated() {
                    try run.complete(due[index], answers: Array(answers.prefix(due[index].count)), at: time)
                    answers = answers.dropFirst(due[index].count)
                }
            }
            let preparing = Result {
                if next < toMs {
                    try pipeline.advance(to: next)
                    try pipeline.prefetch(Set(runs.flatMap { $0.plans.map(\.asset) }))
                }
            }
            try completing.wait()
            try preparing.get()
            advanced = true
            for (index, run) in runs.enumerated() {
                counts[index] += run.drafts.count
                drafts += run.drafts
                run.drafts.removeAll(keepingCapacity: true)
            }
            time = next
            // Appended an hour of steps at a time (or sooner when many wait), each append waited
            // for: the boundaries follow from the events alone, so the batches, and the hash
            // chain, are the same on every run.
            if !drafts.isEmpty, TradingRun.flushes(before: time, pending: drafts.count) || time >= toMs {
                ready = Append(drafts: drafts, counts: counts)
                drafts.removeAll(keepingCapacity: true)
                counts = [Int](repeating: 0, count: runs.count)
            }
        }
        try ready?.write(to: log, runs: runs)
        try runs.first?.artifacts.flush()
        return runs.map { $0.finish() }
    }

    /// One append of several clones' events, and how many are each clone's.
    struct Append {
        var drafts: [EventDraft]
        var counts: [Int]

        func write(to log: any LogStore, runs: [TradingRun]) throws {
            guard try log.append(drafts).written else { return }
            for (index, run) in runs.enumerated() { run.summary.events += counts[index] }
        }
    }

    /// Each clone's summary as it stands.
    public func summaries() -> [TradingRun.Summary] { runs.map { $0.finish() } }

    /// Every clone's closing mark at the span's end, in one append (a race's final figures).
    public func closingMarks() throws -> [TradingRun.Summary] {
        try pipeline.advance(to: toMs)
        var drafts: [EventDraft] = []
        for run in runs {
            try run.markAccount(at: toMs)
            drafts += run.drafts
            run.drafts.removeAll()
        }
        if !drafts.isEmpty { try log.append(drafts) }
        return runs.map { $0.finish() }
    }
}

/// Work started on another thread at once; `wait` returns when it is done, or throws what it threw.
final class Background: @unchecked Sendable {
    private let group = DispatchGroup()
    private let work: () throws -> Void
    private var outcome: Result<Void, any Error> = .success(())

    init(_ work: @escaping () throws -> Void) {
        self.work = work
        DispatchQueue.global(qos: .userInitiated).async(group: group) { [self] in outcome = Result { try self.work() } }
    }

    func wait() throws {
        group.wait()
        try outcome.get()
    }
}
