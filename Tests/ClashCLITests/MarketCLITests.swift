import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("clash ingest and assets", .serialized, .timeLimit(.minutes(5)))
struct MarketCLITests {
    let data = NSTemporaryDirectory() + "clash-market-cli-\(UUID().uuidString)"
    var recordings: String { data + "-recordings" }

    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary), "build the clash executable first (swift build)")
    }

    func write(_ text: String, _ path: String) throws {
        let full = recordings + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
    }

    func eventCount() throws -> Int? {
        try CLI.json(try CLI.run(["log", "stats", "--data", data]).stdout)["events"] as? Int
    }

    @Test("ingest dir reads every file first, appends each once, skips and lists the files it does not know, and a bad file writes nothing")
    func ingestDirectory() throws {
        defer {
            try? FileManager.default.removeItem(atPath: data)
            try? FileManager.default.removeItem(atPath: recordings)
        }
        try write(#"{"BTC":"113079.5","ETH":"4321.05"}"#, "hyperliquid/allMids_2025-01-01.json")
        try write(#"{"universe":[{"name":"BTC","szDecimals":5,"maxLeverage":40}]}"#, "hyperliquid/meta_2025-01-01.json")
        try write(#"[["xyz:TSLA","stocks"]]"#, "hyperliquid/perpCategories_2025-01-01.json")
        try write(#"[{"name":"Ethereum","tokenSymbol":"ETH","tvl":61000000000}]"#, "defillama/chains_2025-01-01.json")
        try write(#"{"id":"7","slug":"btc-above-100k","question":"BTC above 100k?","active":true,"closed":false,"outcomes":"[\"Yes\",\"No\"]","outcomePrices":"[\"0.4\",\"0.6\"]","volume":"12"}"#,
                  "polymarket/gamma_market_btc.json")
        try write(#"[null,{"name":"xyz"}]"#, "hyperliquid/perpDexs_2025-01-01.json")
        try write("notes", "README.txt")

        let first = try CLI.run(["ingest", "dir", recordings, "--data", data, "--at", "1765584000000", "--categories"])
        #expect(first.status == 0, "\(first.stderr)")
        let report = try CLI.json(first.stdout)
        let files = try #require(report["files"] as? [[String: Any]])
        #expect(files.count == 5)
        #expect(files.allSatisfy { $0["written"] as? Bool == true })
        #expect(report["skipped"] as? [String] == ["hyperliquid/perpDexs_2025-01-01.json"])
        let events = try eventCount()
        #expect(events == 6)  // five responses and the category mapping

        let again = try CLI.json(try CLI.run(["ingest", "dir", recordings, "--data", data, "--at", "1765584000000", "--categories"]).stdout)
        #expect((again["files"] as? [[String: Any]])?.allSatisfy { $0["written"] as? Bool == false } == true)
        #expect(try eventCount() == events)

        try write(#"{"BTC":"1","ETH":"2"}"#, "hyperliquid/allMids_2025-01-02.json")
        try write(#"{"universe":[{"name":"BTC","szDecimals":"five"}]}"#, "hyperliquid/meta_2025-01-02.json")
        let bad = try CLI.run(["ingest", "dir", recordings, "--data", data, "--at", "1765584000001"])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("meta_2025-01-02.json") && bad.stderr.contains("universe[0].szDecimals"))
        #expect(try eventCount() == events)
    }

    @Test("ingest run polls until SIGTERM, reports failed requests and stops cleanly between appends")
    func runStopsOnSignal() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        // Nothing listens on port 9: every request fails fast and is retried at its next turn.
        let run = try CLI.runUntilTerminated(["ingest", "run", "--data", data, "--only", "hyperliquid", "--cadence", "1", "--timeout", "1",
                                              "--hyperliquid-url", "http://127.0.0.1:9"], after: 2)
        let (stdout, stderr) = (run.stdout, run.stderr)
        #expect(run.status == 0, "\(stderr)")
        let summary = try CLI.json(stdout)
        #expect(summary["stopped_by"] as? String == "signal")
        #expect((summary["failures"] as? Int ?? 0) >= 1)
        #expect(stderr.contains("hyperliquid metaAndAssetCtxs") && stderr.contains("tried again in 1 s"))
        // The category mapping was appended at start, and the log is whole.
        #expect(try eventCount() == 1)
        #expect(try CLI.run(["log", "verify", "--data", data]).status == 0)
    }

    @Test("assets list selects by category with includes and excludes; assets latest prints the asset's latest data")
    func assets() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try CLI.run(["market", "simulate", "--data", data, "--seed", "3", "--assets", "12", "--hours", "3"]).status == 0)
        #expect(try CLI.run(["ingest", "categories", "--data", data, "--at", "1717200000000"]).status == 0)
        let meme = try CLI.run(["assets", "list", "--data", data, "--category", "Crypto/Meme", "--include", "BTC", "--exclude", "BNB"])
        #expect(meme.status == 0, "\(meme.stderr)")
        let symbols = meme.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["symbol"] as? String
        }
        #expect(symbols == ["DOGE", "BTC"])
        let unknown = try CLI.run(["assets", "list", "--data", data, "--category", "Crypto/Nope"])
        #expect(unknown.status != 0 && unknown.stderr.contains("Crypto/Layer 1"))

        let latest = try CLI.run(["assets", "latest", "ETH", "--data", data])
        #expect(latest.status == 0, "\(latest.stderr)")
        let view = try CLI.json(latest.stdout)
        #expect(view["symbol"] as? String == "ETH")
        #expect((view["candles"] as? [String: Any])?.keys.sorted() == ["15m", "1h", "1m", "4h", "5m"])
        #expect((view["funding"] as? [String: Any])?["samples24h"] as? Int == 2)
        #expect(try CLI.run(["assets", "latest", "NOPE", "--data", data]).status != 0)
    }

    @Test("ingest fetches over HTTP from --base-url (a local static server): DefiLlama chains and a Polymarket listing")
    func fetchFromBaseURL() throws {
        defer {
            try? FileManager.default.removeItem(atPath: data)
            try? FileManager.default.removeItem(atPath: recordings)
        }
        try write(#"[{"name":"Ethereum","tokenSymbol":"ETH","tvl":61000000000.5}]"#, "v2/chains")
        try write(#"[{"id":"7","slug":"btc-above-100k","question":"BTC above 100k?","active":true,"closed":false,"outcomes":"[\"Yes\",\"No\"]","outcomePrices":"[\"0.4\",\"0.6\"]","volume":"12"}]"#, "markets")
        let port = 20_000 + Int.random(in: 0..<20_000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", "-m", "http.server", "\(port)", "--bind", "127.0.0.1", "--directory", recordings]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        let base = "http://127.0.0.1:\(port)"
        var chains = try CLI.run(["ingest", "defillama", "--data", data, "--request", "chains", "--base-url", base, "--at", "1765584000000"])
        for _ in 0..<20 where chains.status != 0 {  // the server may still be starting
            Thread.sleep(forTimeInterval: 0.25)
            chains = try CLI.run(["ingest", "defillama", "--data", data, "--request", "chains", "--base-url", base, "--at", "1765584000000"])
        }
        #expect(chains.status == 0, "\(chains.stderr)")
        #expect(try CLI.json(chains.stdout)["written"] as? Bool == true)
        let markets = try CLI.run(["ingest", "polymarket", "--data", data, "--base-url", base, "--at", "1765584000000"])
        #expect(markets.status == 0, "\(markets.stderr)")
        let dump = try CLI.run(["log", "dump", "--data", data]).stdout
        #expect(dump.contains(#""chain":"Ethereum","date_ms":1765584000000,"token_symbol":"ETH","tvl_e2":6100000000050"#))
        #expect(dump.contains(#""market_id":"7""#))
        let missing = try CLI.run(["ingest", "defillama", "--data", data, "--request", "fees", "--base-url", base])
        #expect(missing.status == 65 && missing.stderr.contains("HTTP 404"))
    }

    @Test("market simulate continues the logged market from its newest tick with new ids; a start inside it, or another universe, is refused with nothing written; other ticks are no market to continue; market stats reads it")
    func continuedMarket() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        func run(_ arguments: [String]) throws -> CLI.Result { try CLI.run(arguments + ["--data", data]) }
        // Benchmark ticks first: not a synthetic market, so the first simulate starts afresh.
        #expect(try run(["bench", "append", "--events", "300", "--seed", "1", "--fsync", "none"]).status == 0)
        let first = try CLI.json(try run(["market", "simulate", "--seed", "3", "--assets", "4", "--hours", "2"]).stdout)
        #expect(first["start_ms"] as? Int == 1_717_200_000_000 && first["version"] as? Int == 2)
        let second = try CLI.json(try run(["market", "simulate", "--seed", "3", "--assets", "4", "--hours", "2"]).stdout)
        #expect(second["start_ms"] as? Int == 1_717_200_000_000 + 2 * 3_600_000, "continued right after the newest tick")
        let head = try CLI.json(try run(["log", "verify"]).stdout)["head_sequence"] as? Int
        let overlapping = try run(["market", "simulate", "--seed", "3", "--assets", "4", "--hours", "1", "--start", "1717200000000"])
        #expect(overlapping.status == 65 && overlapping.stderr.contains("--start must be at or after 1717214400000"), "\(overlapping.stderr)")
        let otherUniverse = try run(["market", "simulate", "--seed", "3", "--assets", "6", "--hours", "1"])
        #expect(otherUniverse.status == 65 && otherUniverse.stderr.contains("--assets 4"))
        #expect(try CLI.json(try run(["log", "verify"]).stdout)["head_sequence"] as? Int == head, "nothing written by a refusal")
        let stats = try run(["market", "stats"]).stdout.split(separator: "\n").map { try CLI.json(String($0)) }
        let btc = try #require(stats.first { $0["symbol"] as? String == "BTC" })
        #expect(btc["returns"] as? Int == 4 * 60 - 1 && btc["volatility_interval"] as? String == "1m", "one series across both appends")
        #expect(stats.last?["universe"] as? Bool == true && stats.last?["assets"] as? Int == 4 + 50, "the benchmark's symbols are listed too")
    }

    @Test("bench ingest folds the whole synthetic market and gives the same state hash for the same seed, another for another")
    func benchIngestDeterministic() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        func run(_ seed: Int) throws -> [String: Any] {
            let result = try CLI.run(["bench", "ingest", "--data", data, "--assets", "3", "--days", "1", "--seed", "\(seed)"])
            #expect(result.status == 0, "\(result.stderr)")
            return try CLI.json(result.stdout)
        }
        let first = try run(4)
        let again = try run(4)
        let other = try run(5)
        // The universe, 3 × 1,440 ticks, 23 hourly contexts and 23 × 3 book summaries.
        #expect(first["events"] as? Int == 1 + 3 * 1_440 + 23 * 4)
        #expect((first["state_hash"] as? String)?.count == 64)
        #expect(first["state_hash"] as? String == again["state_hash"] as? String)
        #expect(first["state_hash"] as? String != other["state_hash"] as? String)
    }
}
