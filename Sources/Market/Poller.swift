import Dispatch
import EventSchemas
import Foundation
import LedgerLog

/// Polls requests on their cadences and appends what comes back, one atomic append per response
/// (a universe only when it changed: `UnchangedUniverse`).
/// A failed request is reported and tried again at its next turn — after `backOffAfter` failures in
/// a row, at twice the wait each further time (at most `backOffMultipleMax` times its cadence), so a
/// request the source keeps refusing is neither hammered nor reported every turn. The loop stops
/// between appends when `shouldStop` says so, or after every request ran `rounds` times. With a
/// `CandleFeed`, the candles it says are due are fetched between the polled requests.
public final class Poller {
    /// What one turn of one request did. `inARow`: the failures of this request in a row, this one
    /// included; `retryInSeconds`: when it is tried next. `afterFailures`: how many failed in a row
    /// before this success.
    public enum Outcome {
        case appended(IngestRequest, drafts: [EventDraft], result: AppendResult, afterFailures: Int)
        case failed(IngestRequest, IngestError, inARow: Int, retryInSeconds: Int)
    }

    /// Failures in a row after which the wait doubles, and the most it grows to, in cadences.
    public static let backOffAfter = 3
    public static let backOffMultipleMax = 64

    /// The wait before the next try of a request of cadence `everySeconds` that failed `inARow` times.
    public static func retryDelaySeconds(everySeconds: Int, inARow: Int) -> Int {
        guard inARow >= backOffAfter else { return everySeconds }
        return everySeconds * min(backOffMultipleMax, 1 << min(20, inARow - backOffAfter + 1))
    }

    public let jobs: [PollJob]
    public let candles: CandleFeed?
    private let sources: MarketSources
    private let log: any LogStore
    private let now: () -> Int64
    private let universes = UnchangedUniverse()

    /// `now` dates the events (wall-clock milliseconds; a test passes its own clock).
    public init(jobs: [PollJob], candles: CandleFeed? = nil, sources: MarketSources, log: any LogStore, now: @escaping () -> Int64) {
        self.jobs = jobs
        self.candles = candles
        self.sources = sources
        self.log = log
        self.now = now
    }

    /// Fetches, normalizes and appends one request's response.
    public func poll(_ request: IngestRequest) throws -> Outcome {
        do {
            let pages = try sources.fetch(request)
            let drafts = try universes.dropUnchanged(try request.drafts(pages: pages, timestampMs: now()), log: log)
            return .appended(request, drafts: drafts, result: try log.append(drafts), afterFailures: 0)
        } catch let error as IngestError {
            return .failed(request, error, inARow: 1, retryInSeconds: 0)
        }
    }

    /// Fetches and appends the candles the feed says are due now, one append per series.
    public func pollCandles() throws -> [Outcome] {
        guard let candles else { return [] }
        return try candles.due(nowMs: now()).map { request in candles.finished(try poll(request), nowMs: now()) }
    }

    /// Runs until `shouldStop` or `rounds`; returns the appends and failures. A log error (an
    /// append refused, an fsync failure) ends the run: it is thrown.
    @discardableResult
    public func run(rounds: Int? = nil, shouldStop: () -> Bool, report: (Outcome) -> Void) throws -> (appends: Int, failures: Int) {
        guard !jobs.isEmpty || candles != nil else { return (0, 0) }
        func uptimeMs() -> UInt64 { DispatchTime.now().uptimeNanoseconds / 1_000_000 }
        var nextDue = [UInt64](repeating: 0, count: jobs.count)
        var runs = [Int](repeating: 0, count: jobs.count)
        var inARow = [Int](repeating: 0, count: jobs.count)
        var appends = 0
        var failures = 0
        while !shouldStop() {
            for (index, job) in jobs.enumerated() where nextDue[index] <= uptimeMs() && !shouldStop() {
                if let rounds, runs[index] >= rounds { continue }
                runs[index] += 1
                var outcome = try poll(job.request)
                switch outcome {
                case let .failed(request, error, _, _):
                    failures += 1
                    inARow[index] += 1
                    let delay = Self.retryDelaySeconds(everySeconds: job.everySeconds, inARow: inARow[index])
                    outcome = .failed(request, error, inARow: inARow[index], retryInSeconds: delay)
                    nextDue[index] = uptimeMs() + UInt64(delay) * 1_000
                case let .appended(request, drafts, result, _):
                    appends += 1
                    outcome = .appended(request, drafts: drafts, result: result, afterFailures: inARow[index])
                    inARow[index] = 0
                    nextDue[index] = uptimeMs() + UInt64(job.everySeconds) * 1_000
                }
                report(outcome)
            }
            if rounds == nil, !shouldStop() {
                for outcome in try pollCandles() {
                    if case .failed = outcome { failures += 1 } else { appends += 1 }
                    report(outcome)
                }
            }
            if let rounds, runs.allSatisfy({ $0 >= rounds }) { break }
            var wake = zip(nextDue, runs).filter { rounds == nil || $0.1 < rounds! }.map(\.0).min() ?? .max
            // The feed's candles close on the minute: it is asked every second.
            if candles != nil, rounds == nil { wake = min(wake, uptimeMs() + 1_000) }
            while !shouldStop() && uptimeMs() < wake { usleep(20_000) }
        }
        return (appends, failures)
    }
}
