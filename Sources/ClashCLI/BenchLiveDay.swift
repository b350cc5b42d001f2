import ArgumentParser
import Clash
import ClashTesting
import Foundation
import LedgerLog
import Market

/// A simulated day of live Hyperliquid ingestion at the default cadences, against a stand-in
/// serving a recorded universe whose prices move: what it costs on disk, per request. The clock is
/// simulated (a day takes minutes), the requests are real HTTP on 127.0.0.1, the log a real one.
struct BenchLiveDay: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "live-day",
        abstract: "Ingest a simulated day of live Hyperliquid polling (default cadences) from a stand-in serving recorded universes; print the bytes on disk per request as JSON.",
        discussion: """
            The stand-in serves --universe (a recorded metaAndAssetCtxs response) and --spot (a recorded \
            spotMetaAndAssetCtxs response) with every price moving; perpCategories is refused, as the exchange \
            refuses it. With --candle-assets, the candle feed keeps the series a Basic clone reads on those assets \
            (5-minute and hourly candles, and the 1-, 5- and 15-minute ones its volatility is measured on).
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "A recorded metaAndAssetCtxs response (the perp universe served).") var universe: String
    @Option(help: "A recorded spotMetaAndAssetCtxs response (the spot pairs served).") var spot: String?
    @Option(help: "Simulated hours.") var hours = 24
    @Option(help: "Assets whose candles a Basic clone reads, comma separated (empty: no candles).") var candleAssets = "BTC,ETH,SOL"

    func execute() throws {
        guard hours > 0 else { throw ValidationError("--hours must be above 0") }
        let directory = data.directory + "/bench-live-day"
        try? FileManager.default.removeItem(atPath: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let start: Int64 = 1_770_336_000_000
        let clock = ManualClock(startMilliseconds: start)
        func move(to time: Int64) { clock.advance(byMilliseconds: time - clock.nowMilliseconds()) }
        let exchange = try StandInHyperliquid(universeFile: universe, spotFile: spot, now: { clock.nowMilliseconds() })
        defer { exchange.stop() }
        var urls = MarketSources.BaseURLs()
        urls.hyperliquid = exchange.baseURL.absoluteString
        let log = try FileLog.open(directory: directory + "/log")
        defer { try? log.close() }
        let candles = CandleFeed()
        // What a Basic clone reads of candles: the price preset's, and those its volatility is measured on.
        let series = (SourcePreset.channels("price")?.channels ?? []).compactMap { channel in
            channel.name == "candles" ? channel.interval.map { ($0, channel.lookback ?? 1) } : nil
        } + RuntimeWorker.volatilityCandles
        candles.want(candleAssets.split(separator: ",").flatMap { symbol in
            series.compactMap { interval, lookback in
                DataChannels.candleIntervals[interval].map {
                    CandleFeed.Need(symbol: String(symbol), interval: interval, intervalMs: $0.milliseconds, lookback: lookback)
                }
            }
        })
        let jobs = PollSchedule.standard(sources: [.hyperliquid])
        let poller = Poller(jobs: jobs, candles: candles, sources: try Self.sources(urls), log: log, now: { clock.nowMilliseconds() })

        struct Cost { var polls = 0, appends = 0, failures = 0, events = 0, bytes: Int64 = 0 }
        var costs: [String: Cost] = [:]
        let atOpen = Self.bytesOnDisk(directory + "/log")
        var bytes = atOpen
        func count(_ outcome: Poller.Outcome) {
            switch outcome {
            case let .appended(request, drafts, result, _):
                let now = Self.bytesOnDisk(directory + "/log")
                let name = Self.name(request)
                costs[name, default: Cost()].polls += 1
                if result.written {
                    costs[name]!.appends += 1
                    costs[name]!.events += drafts.count
                }
                costs[name]!.bytes += now - bytes
                bytes = now
            case let .failed(request, _, _, _):
                costs[Self.name(request), default: Cost()].polls += 1
                costs[Self.name(request)]!.failures += 1
            }
        }
        let began = monotonicSeconds()
        var inARow: [Int: Int] = [:]
        var nextDue = [Int64](repeating: start, count: jobs.count)
        for minute in 0..<(hours * 60) {
            let time = start + Int64(minute) * 60_000
            move(to: time + 1_000)
            for (index, job) in jobs.enumerated() where nextDue[index] <= time {
                let outcome = try poller.poll(job.request)
                count(outcome)
                if case .failed = outcome { inARow[index, default: 0] += 1 } else { inARow[index] = 0 }
                nextDue[index] = time + Int64(Poller.retryDelaySeconds(everySeconds: job.everySeconds, inARow: inARow[index] ?? 0)) * 1_000
            }
            move(to: time + 2_000)
            for outcome in try poller.pollCandles() { count(outcome) }
        }
        let seconds = monotonicSeconds() - began
        let stats = try log.head
        Output.json { json in
            json.beginObject()
            json.key("bytes_at_open"); json.int(Int(atOpen))
            json.key("bytes_on_disk"); json.int(Int(bytes))
            json.key("bytes_per_day"); json.int(Int(bytes * 24 / Int64(hours)))
            json.key("candle_assets"); json.string(candleAssets)
            json.key("events"); json.uint(stats.sequence)
            json.key("hours"); json.int(hours)
            json.key("requests")
            json.beginObject()
            for name in costs.keys.sorted() {
                let cost = costs[name]!
                json.key(name)
                json.beginObject()
                json.key("appends"); json.int(cost.appends)
                json.key("bytes"); json.int(Int(cost.bytes))
                json.key("events"); json.int(cost.events)
                json.key("failures"); json.int(cost.failures)
                json.key("polls"); json.int(cost.polls)
                json.key("share_percent"); json.decimal(bytes > 0 ? Double(cost.bytes) * 100 / Double(bytes) : 0, places: 1)
                json.endObject()
            }
            json.endObject()
            json.key("seconds"); json.decimal(seconds, places: 3)
            json.key("spot"); json.bool(spot != nil)
            json.endObject()
        }
    }

    /// Clients without the rate limit: the stand-in is local, and the clock simulated.
    static func sources(_ urls: MarketSources.BaseURLs) throws -> MarketSources {
        try MarketSources(urls: urls, policy: ClientPolicy(baseURL: URL(string: urls.hyperliquid)!, minimumIntervalMilliseconds: 0))
    }

    /// A request's line in the report: its kind, with the asset for per-asset kinds other than candles.
    static func name(_ request: IngestRequest) -> String {
        request.kind == "l2Book" ? "l2Book \(request.symbol ?? "")" : request.kind
    }

    /// The bytes of every file under the log's folder.
    static func bytesOnDisk(_ folder: String) -> Int64 {
        guard let files = FileManager.default.enumerator(atPath: folder) else { return 0 }
        var total: Int64 = 0
        for case let file as String in files {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: folder + "/" + file),
                  attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            total += (attributes[.size] as? NSNumber)?.int64Value ?? 0
        }
        return total
    }
}
