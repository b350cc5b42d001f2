import ClashTesting
import Foundation
import Testing

/// The live steps a deployment takes, through the command line, against a stand-in for
/// Hyperliquid's `/info` on the wall clock.
@Suite("clash live against a stand-in Hyperliquid", .serialized, .timeLimit(.minutes(5)))
struct LiveCLITests {
    let data = NSTemporaryDirectory() + "clash-live-\(UUID().uuidString)"

    static var universeFile: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path + "/shared/fixtures/real/hyperliquid/metaAndAssetCtxs_dex-default_2026-02-06.json"
    }

    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary), "build the clash executable first (swift build)")
    }

    func clash(_ arguments: [String]) throws -> CLI.Result { try CLI.run(arguments + ["--data", data]) }

    /// A stand-in exchange, its first ingest stamped at the start of the previous minute (as if it
    /// ran then, so a worker's first minute already lists the clone's assets), and the Live Bot
    /// clone on BTC, ETH and SOL. The caller stops the exchange.
    func firstIngestAndClone() throws -> StandInHyperliquid {
        let exchange = try StandInHyperliquid(universeFile: Self.universeFile, now: { Int64(Date().timeIntervalSince1970 * 1000) })
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let first = try clash(["ingest", "hyperliquid", "--request", "metaAndAssetCtxs", "--base-url", exchange.baseURL.absoluteString,
                               "--at", String(now - now % 60_000 - 60_000)])
        #expect(first.status == 0, "\(first.stderr)")
        let created = try clash(["clones", "create", "--owner", "0x8ba1f109551bd432803012645ac136ddd64dba72", "--name", "Live Bot",
                                 "--assets", "BTC,ETH,SOL", "--prompt", "momentum", "--cadence", "1m", "--risk", "high"])
        #expect(created.status == 0, "\(created.stderr)")
        return exchange
    }

    @Test("runtime worker --ingest: trades the clone at once, logs the exchange candles its plans read and the universe once, and stops on SIGTERM with exit 0 and no error")
    func workerIngests() throws {
        guard FileManager.default.fileExists(atPath: Self.universeFile) else {
            print("skipped: the recorded universe (../shared/fixtures/real) is absent")
            return
        }
        defer { try? FileManager.default.removeItem(atPath: data) }
        let exchange = try firstIngestAndClone()
        defer { exchange.stop() }
        let url = exchange.baseURL.absoluteString
        let worker = try CLI.runUntilTerminated(["runtime", "worker", "--ingest", "--only", "hyperliquid", "--hyperliquid-url", url,
                                                 "--cadence", "5", "--poll-seconds", "1", "--data", data], after: 6)
        #expect(worker.status == 0 && worker.stderr.contains("note: worker stopped after") && !worker.stderr.contains("error: worker"), "\(worker.stderr)")
        let cycles = worker.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(cycles.contains { ($0["runs"] as? Int ?? 0) == 3 }, "the clone's three assets ran at the first minute: \(worker.stdout)")
        // The candles Basic momentum reads for each asset, backfilled once: 5-minute and hourly, 24
        // back, and what its volatility is measured on (an hour of 1-minute candles, a day of 15-minute).
        let candles = try clash(["log", "dump", "--type", "hyperliquid.candles"]).stdout.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        }
        var series: [String: Int] = [:]
        for event in candles {
            let payload = event["payload"] as! [String: Any]
            series["\(payload["symbol"]!) \(payload["interval"]!)", default: 0] += (payload["candles"] as! [Any]).count
        }
        for symbol in ["BTC", "ETH", "SOL"] {
            #expect(series["\(symbol) 1h"] == 24 && series["\(symbol) 15m"] == 96 && series["\(symbol) 5m"] ?? 0 >= 48
                    && series["\(symbol) 1m"] ?? 0 >= 60, "\(series)")
        }
        // Polled every 5 s, the universe is logged once: it did not change.
        #expect(try clash(["log", "dump", "--type", "hyperliquid.universe"]).stdout.split(separator: "\n").count == 1)
        let verify = try clash(["verify", "--replay"])
        #expect(verify.status == 0, "\(verify.stderr)")
    }

    @Test("serve --run-arena --ingest: the server hosts the live path — polls the exchange, the clone trades at once, the candles it reads are logged — and stops on SIGTERM with exit 0")
    func serverRunsTheLivePath() throws {
        guard FileManager.default.fileExists(atPath: Self.universeFile) else {
            print("skipped: the recorded universe (../shared/fixtures/real) is absent")
            return
        }
        defer { try? FileManager.default.removeItem(atPath: data) }
        let exchange = try firstIngestAndClone()
        defer { exchange.stop() }
        let url = exchange.baseURL.absoluteString
        let server = try CLI.runUntilTerminated(["serve", "--listen", "127.0.0.1:0", "--run-arena", "--ingest", "--only", "hyperliquid",
                                                 "--hyperliquid-url", url, "--poll-seconds", "1", "--data", data], after: 8)
        // Requests the stand-in refuses (perpCategories, spot contexts) are reported and retried later; nothing stops.
        #expect(server.status == 0 && server.stdout.contains("listening") && !server.stderr.contains("stopped: ") && !server.stderr.contains("answered 500"),
                "\(server.stderr.suffix(1500))")
        let runs = try clash(["runtime", "trail", "--clone", "c-1", "--json"]).stdout.split(separator: "\n").filter { $0.contains("\"type\":\"runtime.run_due\"") }
        #expect(runs.count >= 3, "the clone's three assets ran: \(runs.count) runs")
        #expect(try clash(["log", "dump", "--type", "hyperliquid.candles"]).stdout.split(separator: "\n").count >= 3, "the candles its plans read")
        #expect(try clash(["verify", "--replay"]).status == 0)
    }

    @Test("bench live-day: an hour of polling at the default cadences, the universe logged once, each candle series once per close, every byte on disk charged to a request")
    func benchLiveDay() throws {
        guard FileManager.default.fileExists(atPath: Self.universeFile) else {
            print("skipped: the recorded universe (../shared/fixtures/real) is absent")
            return
        }
        defer { try? FileManager.default.removeItem(atPath: data) }
        let run = try clash(["bench", "live-day", "--universe", Self.universeFile, "--hours", "1", "--candle-assets", "BTC,ETH,SOL"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try CLI.json(run.stdout)
        let requests = try #require(report["requests"] as? [String: [String: Any]])
        func figure(_ request: String, _ key: String) -> Int { requests[request]?[key] as? Int ?? -1 }
        #expect(figure("metaAndAssetCtxs", "polls") == 60 && figure("metaAndAssetCtxs", "events") == 61, "60 contexts and one universe")
        #expect(figure("allMids", "polls") == 60 && figure("l2Book BTC", "polls") == 60 && figure("l2Book ETH", "polls") == 60)
        #expect(figure("candleSnapshot", "polls") == 3 * (60 + 12 + 4 + 1), "per asset: 1m each minute, 5m, 15m and 1h as each closes")
        #expect(figure("perpCategories", "failures") == 1 && figure("perpCategories", "bytes") == 0)
        let charged = requests.values.reduce(0) { $0 + ($1["bytes"] as? Int ?? 0) }
        let onDisk = report["bytes_on_disk"] as? Int ?? 0
        #expect(charged == onDisk - (report["bytes_at_open"] as? Int ?? 0) && onDisk > 1_000_000, "\(charged) charged of \(onDisk)")
    }
}
