import Dispatch
import EventSchemas
import Foundation
import LedgerLog

/// Polls requests on their cadences and appends what comes back, one atomic append per response.
/// A failed request is reported and tried again at its next turn; the loop stops between appends
/// when `shouldStop` says so, or after every request ran `rounds` times.
public final class Poller {
    /// What one turn of one request did.
    public enum Outcome {
        case appended(IngestRequest, drafts: [EventDraft], result: AppendResult)
        case failed(IngestRequest, IngestError)
    }

    public let jobs: [PollJob]
    private let sources: MarketSources
    private let log: any LogStore
    private let now: () -> Int64

    /// `now` dates the events (wall-clock milliseconds; a test passes its own clock).
    public init(jobs: [PollJob], sources: MarketSources, log: any LogStore, now: @escaping () -> Int64) {
        self.jobs = jobs
        self.sources = sources
        self.log = log
        self.now = now
    }

    /// Fetches, normalizes and appends one request's response.
    public func poll(_ request: IngestRequest) throws -> Outcome {
        do {
            let pages = try sources.fetch(request)
            let drafts = try request.drafts(pages: pages, timestampMs: now())
            return .appended(request, drafts: drafts, result: try log.append(drafts))
        } catch let error as IngestError {
            return .failed(request, error)
        }
    }

    /// Runs until `shouldStop` or `rounds`; returns the appends and failures. A log error (an
    /// append refused, an fsync failure) ends the run: it is thrown.
    @discardableResult
    public func run(rounds: Int? = nil, shouldStop: () -> Bool, report: (Outcome) -> Void) throws -> (appends: Int, failures: Int) {
        guard !jobs.isEmpty else { return (0, 0) }
        func uptimeMs() -> UInt64 { DispatchTime.now().uptimeNanoseconds / 1_000_000 }
        var nextDue = [UInt64](repeating: 0, count: jobs.count)
        var runs = [Int](repeating: 0, count: jobs.count)
        var appends = 0
        var failures = 0
        while !shouldStop() {
            for (index, job) in jobs.enumerated() where nextDue[index] <= uptimeMs() && !shouldStop() {
                if let rounds, runs[index] >= rounds { continue }
                nextDue[index] = uptimeMs() + UInt64(job.everySeconds) * 1_000
                runs[index] += 1
                let outcome = try poll(job.request)
                if case .failed = outcome { failures += 1 } else { appends += 1 }
                report(outcome)
            }
            if let rounds, runs.allSatisfy({ $0 >= rounds }) { break }
            let wake = zip(nextDue, runs).filter { rounds == nil || $0.1 < rounds! }.map(\.0).min() ?? 0
            while !shouldStop() && uptimeMs() < wake { usleep(20_000) }
        }
        return (appends, failures)
    }
}
