import Dispatch
import Domain
import Foundation
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
        try step(until: toMs, streams: given)
        return runs.map { $0.finish() }
    }

    /// Where a session stepped in parts stands: its next step's time, the events waiting for the
    /// next append, and the thread appending them.
    private var time: Int64?
    private var drafts: [EventDraft] = []
    private var counts: [Int] = []
    private var advanced = true
    private var appender: Appender?

    /// Steps every clone from where the session stands up to `until` (at most its end): a race
    /// traded as it runs. Events are appended at the same boundaries as in one run over the whole
    /// span (each hour, or sooner when many wait), so the log is the same however the span is cut.
    /// The session finishes its appends when it reaches its end.
    public func step(until: Int64, streams given: [String: [LogRecord]]? = nil) throws {
        if time == nil {
            try pipeline.advance(to: fromMs)
            let streams = try given ?? log.read(streams: streamsRead)
            for run in runs { try run.start(streams: streams) }
            time = fromMs
            counts = [Int](repeating: 0, count: runs.count)
            // Events are appended on a thread of their own, in order, while the steps go on.
            // They hold no market data: the market view passes over them without reading them.
            appender = Appender(log: log, clones: runs.count) { [replica = pipeline.replica] in replica.passOver($0) }
        }
        guard var time, let appender else { return }
        let step = runs.reduce(Int64(60_000)) { gcd($0, $1.stepMs) }
        let until = min(until, toMs)
        do {
            while time < until {
                if !advanced { try pipeline.advance(to: time) }
                let due = try runs.map { try $0.prepare(at: time) }
                // On another thread: the packets put together, every clone's runs due decided together
                // (concurrently when an engine calls out) and each clone's events made in the clones'
                // order — while this one moves the market to the next step and reads what its runs
                // will, then helps with the packets. The two share nothing else: completing a run
                // reads nothing of the pipeline, and market data as of a time is the same whenever it
                // is read.
                let next = time + step
                let assembly = PacketAssembly(due.flatMap { $0 }, views: views)
                let completing = Background { [runs, time, due, assembly] in
                    var answers = TradingRun.decideAll(due.flatMap { $0 }, assembly: assembly)[...]
                    for (index, run) in runs.enumerated() {
                        try run.complete(due[index], answers: Array(answers.prefix(due[index].count)), at: time)
                        answers = answers.dropFirst(due[index].count)
                    }
                }
                let preparing = Result {
                    // The market is moved on only as far as this part goes: a race traded as it runs
                    // has no market logged past now.
                    if next < until {
                        try pipeline.advance(to: next)
                        try pipeline.prefetch(Set(runs.flatMap { $0.plans.map(\.asset) }))
                    }
                    assembly.help()
                }
                try completing.wait()
                try preparing.get()
                advanced = next < until
                for (index, run) in runs.enumerated() {
                    counts[index] += run.drafts.count
                    drafts += run.drafts
                    run.drafts.removeAll(keepingCapacity: true)
                }
                time = next
                self.time = time
                // Appended an hour of steps at a time (or sooner when many wait), each append waited
                // for: the boundaries follow from the events alone, so the batches, and the hash
                // chain, are the same on every run.
                if !drafts.isEmpty, TradingRun.flushes(before: time, pending: drafts.count) || time >= toMs {
                    try appender.submit(drafts, counts: counts)
                    drafts.removeAll(keepingCapacity: true)
                    counts = [Int](repeating: 0, count: runs.count)
                }
            }
            if time >= toMs {
                for (run, events) in zip(runs, try appender.finish()) { run.summary.events += events }
                self.appender = nil
                try runs.first?.artifacts.flush()
            } else {
                try appender.drain()
            }
        } catch {
            appender.stop()
            self.appender = nil
            throw error
        }
    }

    /// The kill switch's changes as the log now holds them, for the steps still to come.
    public func takeKillSwitch(_ records: [LogRecord]) throws {
        for run in runs { try run.takeKillSwitch(records) }
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

/// Appends several clones' events on a thread of its own, in the order submitted, each waited
/// for (durable) before the next; at most two wait, so a slow disk holds the steps back rather
/// than memory growing. A failed append fails the next `submit` or `finish`, and nothing after it
/// is written.
final class Appender: @unchecked Sendable {
    private let log: any LogStore
    private let written: (ClosedRange<UInt64>) -> Void
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var waiting: [(drafts: [EventDraft], counts: [Int])] = []
    private var counts: [Int]
    private var failure: (any Error)?
    private var finishing = false
    private var running = true

    /// `clones`: how many clones' events are appended; `written`: told the sequences of each append
    /// written, on the appender's thread.
    init(log: any LogStore, clones: Int, written: @escaping (ClosedRange<UInt64>) -> Void) {
        self.log = log
        self.written = written
        counts = Array(repeating: 0, count: clones)
        Thread { [self] in work() }.start()
    }

    /// Hands over one append: `counts`, how many of its events are each clone's.
    func submit(_ drafts: [EventDraft], counts: [Int]) throws {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= 2 && failure == nil { condition.wait() }
        if let failure { throw failure }
        waiting.append((drafts, counts))
        condition.broadcast()
    }

    /// Waits for every append handed over; returns how many events of each clone were written.
    func finish() throws -> [Int] {
        condition.lock()
        defer { condition.unlock() }
        finishing = true
        condition.broadcast()
        while running { condition.wait() }
        if let failure { throw failure }
        return counts
    }

    /// Waits until every append handed over is written (the thread goes on for more): what a
    /// session stepped in parts does before the caller appends anything of its own, so the log's
    /// order does not depend on the threads' timing.
    func drain() throws {
        condition.lock()
        defer { condition.unlock() }
        while !waiting.isEmpty && failure == nil { condition.wait() }
        if let failure { throw failure }
    }

    /// Ends the thread after the append under way; what still waits is not written.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        if running, failure == nil { failure = CancellationError() }
        waiting.removeAll()
        condition.broadcast()
        while running { condition.wait() }
    }

    private func work() {
        condition.lock()
        while true {
            while waiting.isEmpty && !finishing && failure == nil { condition.wait() }
            guard failure == nil, !waiting.isEmpty else { break }
            let (drafts, appended) = waiting[0]
            condition.unlock()
            let outcome = Result { try log.append(drafts) }
            if case .success(let result) = outcome, result.written { written(result.firstSequence...result.lastSequence) }
            condition.lock()
            waiting.removeFirst()
            switch outcome {
            case .success(let result):
                if result.written {
                    for (index, count) in appended.enumerated() { counts[index] += count }
                }
            case .failure(let error):
                failure = error
            }
            condition.broadcast()
        }
        running = false
        condition.broadcast()
        condition.unlock()
    }
}

/// Work started on another thread at once; `wait` returns when it is done, or throws what it threw.
final class Background: @unchecked Sendable {
    private let group = DispatchGroup()
    private let work: () throws -> Void
    private var outcome: Result<Void, any Error> = .success(())

    init(_ work: @escaping () throws -> Void) {
        self.work = work
        // A thread of its own, not a pool's: a pool of as many threads as cores, some of them
        // waiting (a log read's helper), would start it late.
        group.enter()
        Thread { [self] in
            outcome = Result { try self.work() }
            group.leave()
        }.start()
    }

    func wait() throws {
        group.wait()
        try outcome.get()
    }
}
