import ArgumentParser
import Clash
import Foundation
import LedgerLog
import Market
#if canImport(Glibc)
import Glibc
#endif

struct IngestRun: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Poll every source on its cadence and append what comes back, until SIGINT or SIGTERM.",
        discussion: """
            Cadences: Hyperliquid metaAndAssetCtxs (of the default dex and each --dexes dex), allMids \
            and the l2Book of each --books asset every 60 s; spotMetaAndAssetCtxs and Polymarket \
            markets every 300 s; perpCategories and DefiLlama (chains, historicalChainTvl, \
            stablecoins, fees, dexs, protocols) every 3600 s. The project's \
            category mapping is appended once at start. A failed request is reported on standard error \
            and tried again at its next turn. SIGINT or SIGTERM stops the loop after the current append.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var sources: SourceOptions
    @OptionGroup var polling: PollOptions
    @Option(help: "Stop after every request ran this many times.") var rounds: Int?

    func execute() throws {
        let stop = StopSignal()
        let log = try FileLog.open(directory: data.logDirectory)
        defer { try? log.close() }
        let poller = try polling.poller(sources: sources, log: log)
        let totals = try poller.run(rounds: rounds, shouldStop: { stop.requested }) { polling.report($0, jobs: poller.jobs) }
        Output.json { json in
            json.beginObject()
            json.key("appends"); json.int(totals.appends)
            json.key("failures"); json.int(totals.failures)
            json.key("stopped_by"); json.string(stop.requested ? "signal" : "rounds")
            json.endObject()
        }
    }
}

/// What to poll: the sources, the books, the dexes, the cadence.
struct PollOptions: ParsableArguments {
    @Option(help: "The sources to poll, comma separated.") var only = "hyperliquid,polymarket,defillama"
    @Option(help: "The assets whose order book is polled, comma separated.") var books = "BTC,ETH"
    @Option(help: "Builder-deployed perp dexes to poll as well, comma separated (e.g. xyz).") var dexes = ""
    @Option(help: "Poll every request every this many seconds instead of its own cadence.") var cadence: Int?

    /// The poller over `log`, the project's category mapping appended first when Hyperliquid is polled.
    func poller(sources: SourceOptions, log: any LogStore, candles: CandleFeed? = nil) throws -> Poller {
        var selected = Set<MarketSource>()
        for name in only.split(separator: ",") {
            guard let source = MarketSource(rawValue: String(name)) else { throw ValidationError("--only: unknown source \(name)") }
            selected.insert(source)
        }
        var jobs = PollSchedule.standard(sources: selected, books: books.split(separator: ",").map(String.init),
                                         dexes: dexes.split(separator: ",").map(String.init))
        if let cadence { jobs = jobs.map { PollJob(request: $0.request, everySeconds: max(1, cadence)) } }
        if selected.contains(.hyperliquid) { _ = try appendCategories(try CategoryMapping.event(), at: SystemClock.nowMs, log: log) }
        return Poller(jobs: jobs, candles: candles, sources: try sources.sources(), log: log, now: { SystemClock.nowMs })
    }

    /// Prints what one turn did: the events appended, or the failure (on standard error).
    func report(_ outcome: Poller.Outcome, jobs: [PollJob]) {
        switch outcome {
        case let .appended(request, drafts, result, afterFailures):
            if afterFailures >= Poller.backOffAfter {
                let every = jobs.first { $0.request == request }.map { "every \($0.everySeconds) s" } ?? "its schedule"
                Output.note("\(request) succeeded again after \(afterFailures) failures in a row; back to \(every)")
            }
            printIngested(request, drafts: drafts, result: result)
        case let .failed(request, error, inARow, retry):
            // Said as it happens, then once when backing off; the failures after that go unsaid until it succeeds.
            if inARow < Poller.backOffAfter {
                Output.error("\(error) (tried again in \(retry) s)")
            } else if inARow == Poller.backOffAfter {
                let every = jobs.first { $0.request == request }?.everySeconds ?? CandleFeed.retrySeconds
                Output.error("\(error); \(request) failed \(inARow) times in a row: backing off, next try in \(retry) s, the wait doubling to at most \(every * Poller.backOffMultipleMax) s; its failures are not reported again until it succeeds")
            }
        }
    }
}

/// SIGINT and SIGTERM as a flag the loop checks between appends (the default action would kill
/// the process in the middle of one).
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    private var sources: [DispatchSourceSignal] = []

    init() {
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for number in [SIGINT, SIGTERM] {
            sigaddset(&unblock, number)
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.set() }
            source.resume()
            sources.append(source)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    var requested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return flag
    }

    private func set() {
        lock.lock()
        flag = true
        lock.unlock()
    }
}
