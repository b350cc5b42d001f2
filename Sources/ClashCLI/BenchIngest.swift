import ArgumentParser
import Foundation
import LedgerLog
import Market
import Projections

/// Generates a synthetic market into a fresh log while a projection runner folds it into every
/// market-memory read model, and times the whole: generated, logged (batch fsync) and projected.
/// With `--recordings DIR` it also times recorded responses from normalization to read models.
struct BenchIngest: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Time a synthetic market generated, logged and projected into market memory (and recorded responses); print JSON.")

    @OptionGroup var data: DataOptions
    @Option(help: "Seed of the synthetic market.") var seed: UInt64 = 1
    @Option(help: "How many perpetuals.") var assets = 200
    @Option(help: "How many days of market.") var days = 7
    @Option(help: "A folder of recorded responses to time as well (named as `clash ingest dir` reads them).") var recordings: String?

    func execute() throws {
        let directory = data.directory + "/bench-ingest-\(seed)"
        try? FileManager.default.removeItem(atPath: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let market = try timeMarket(directory + "/market")
        let recorded = try recordings.map { try timeRecordings($0, directory: directory + "/recorded") }
        Output.json { json in
            json.beginObject()
            json.key("assets"); json.int(assets)
            json.key("days"); json.int(days)
            json.key("events"); json.int(market.events)
            json.key("events_per_second"); json.int(Int(Double(market.events) / market.seconds))
            json.key("logged_seconds"); json.decimal(market.loggedSeconds, places: 3)
            if let recorded {
                json.key("recorded")
                json.beginObject()
                json.key("bytes_per_second"); json.int(Int(Double(recorded.bytes) / recorded.seconds))
                json.key("events"); json.int(recorded.events)
                json.key("events_per_second"); json.int(Int(Double(recorded.events) / recorded.seconds))
                json.key("responses"); json.int(recorded.responses)
                json.key("rows_per_second"); json.int(Int(Double(recorded.rows) / recorded.seconds))
                json.key("seconds"); json.decimal(recorded.seconds, places: 3)
                json.endObject()
            }
            json.key("seconds"); json.decimal(market.seconds, places: 3)
            json.key("seed"); json.uint(seed)
            json.key("state_hash"); json.string(market.stateHash)
            json.endObject()
        }
    }

    static let projectors: [any Projector] = [MarketTicksProjector(), MarketMemoryProjector()]

    /// The market, appended on another thread while this one folds it as it lands.
    func timeMarket(_ directory: String) throws -> (events: Int, seconds: Double, loggedSeconds: Double, stateHash: String) {
        let (seed, hours) = (self.seed, days * 24)
        let assets = self.assets
        let total = SyntheticMarket(seed: seed, assets: assets, hours: hours).count
        let log = try FileLog.open(directory: directory + "/log")
        let runner = try ProjectionRunner(directory: directory + "/projections", log: try LogReader(directory: directory + "/log"),
                                          projectors: Self.projectors)
        let logged = Completion()
        let start = monotonicSeconds()
        Thread {
            do {
                try log.appendAll(SyntheticMarket(seed: seed, assets: assets, hours: hours))
                logged.finish(nil, seconds: monotonicSeconds() - start)
            } catch {
                logged.finish(error, seconds: 0)
            }
        }.start()
        // Fold what has landed every tenth of a second: fewer, larger read-model transactions.
        var folded = 0
        while folded < total && !logged.failed {
            if !logged.finished { usleep(100_000) }
            folded += try runner.catchUp()
        }
        let seconds = monotonicSeconds() - start
        let loggedSeconds = try logged.wait()
        try log.close()
        let hash = StateHash.overall(of: try runner.stateHashes())
        try runner.close()
        return (total, seconds, loggedSeconds, hash)
    }

    /// Every recognized file of `folder`, normalized and appended (one append per file), then
    /// folded into market memory.
    func timeRecordings(_ folder: String, directory: String) throws -> (responses: Int, events: Int, rows: Int, bytes: Int, seconds: Double) {
        var bodies: [(IngestRequest, [UInt8])] = []
        for (file, request) in RecordedResponse.files(in: folder)?.recognized ?? [] {
            guard let body = FileManager.default.contents(atPath: folder + "/" + file) else { throw ValidationError("cannot read \(folder)/\(file)") }
            bodies.append((request, Array(body)))
        }
        guard !bodies.isEmpty else { throw ValidationError("no recorded responses in \(folder)") }
        let log = try FileLog.open(directory: directory + "/log")
        let start = monotonicSeconds()
        var events = 0
        for (request, body) in bodies {
            let drafts = try request.drafts(pages: [body], timestampMs: 1_765_584_000_000)
            events += drafts.count
            try log.append(drafts)
        }
        try log.close()
        let runner = try ProjectionRunner(directory: directory + "/projections", log: try LogReader(directory: directory + "/log"),
                                          projectors: Self.projectors)
        try runner.catchUp()
        let seconds = monotonicSeconds() - start
        let rows = try runner.rowCount("market_memory")
        try runner.close()
        return (bodies.count, events, rows, bodies.reduce(0) { $0 + $1.1.count }, seconds)
    }
}

/// The end of work on another thread: its error, or how long it took.
final class Completion: @unchecked Sendable {
    private let condition = NSCondition()
    private var done = false
    private var error: Error?
    private var seconds = 0.0

    func finish(_ error: Error?, seconds: Double) {
        condition.lock()
        self.error = error
        self.seconds = seconds
        done = true
        condition.broadcast()
        condition.unlock()
    }

    var failed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return error != nil
    }

    var finished: Bool {
        condition.lock()
        defer { condition.unlock() }
        return done
    }

    func wait() throws -> Double {
        condition.lock()
        while !done { condition.wait() }
        let (error, seconds) = (self.error, self.seconds)
        condition.unlock()
        if let error { throw error }
        return seconds
    }
}
