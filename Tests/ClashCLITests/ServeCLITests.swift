import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import Transport

/// `clash serve` as a client sees it: a real HTTP server on 127.0.0.1, asked with libcurl.
@Suite("clash serve", .serialized, .timeLimit(.minutes(5)))
struct ServeCLITests {
    let data = NSTemporaryDirectory() + "clash-serve-\(UUID().uuidString)"
    static let marker = "MARKER-4471 this prompt is private"

    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary), "build the clash executable first (swift build)")
    }

    func clash(_ arguments: [String]) throws -> CLI.Result { try CLI.run(arguments + ["--data", data]) }

    /// Starts `clash serve` on a free port; returns the process, its base URL and its standard error.
    func serve(_ extra: [String] = []) throws -> (Process, String, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["serve", "--data", data, "--listen", "127.0.0.1:0"] + extra
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // The first line on standard output names the address, once the server listens.
        var line: [UInt8] = []
        let deadline = Date().addingTimeInterval(60)
        while !line.contains(0x0A), Date() < deadline, process.isRunning {
            line += out.fileHandleForReading.availableData
        }
        let object = try JSONSerialization.jsonObject(with: Data(line.prefix { $0 != 0x0A })) as? [String: Any]
        return (process, try #require(object?["listening"] as? String, "serve printed \(String(decoding: line, as: UTF8.self))"), err)
    }

    @Test("serve answers races, rankings, the Hall of Fame, clones' public views, tickets, assets, the log's records, its root, signed head and proofs (the CLI's bytes); unknown things and bad input as problem+json with the domain's code; a private prompt in no body; SIGTERM exits 0")
    func readAPI() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try CLI.run(["season", "simulate", "--seed", "3", "--clones", "5", "--races", "2", "--spectators", "4", "--assets", "2",
                             "--cadence", "1h", "--slots", "2", "--no-store-packets", "--quiet", "--data", data]).status == 0)
        #expect(try clash(["clones", "create", "--owner", "0x8ba1f109551bd432803012645ac136ddd64dba72", "--name", "Secret", "--assets", "BTC",
                           "--prompt", Self.marker, "--cadence", "1h"]).status == 0)
        // The transparency log as the command line proves it, to hold the server's answers to.
        let key = data + "/head.key"
        #expect(try CLI.run(["log", "keygen", "--out", key]).status == 0)
        let root = try clash(["log", "root"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let head = try clash(["log", "sign-head", "--key", key]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let inclusion = try clash(["log", "prove", "--seq", "5"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let consistency = try clash(["log", "prove", "--from-size", "10"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (server, base, errors) = try serve(["--head-key", key])
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let transport = CurlTransport()
        func get(_ path: String) throws -> (status: Int, type: String, body: String, json: Any?) {
            let response = try transport.send(HTTPRequest(method: "GET", url: URL(string: base + path)!), timeoutSeconds: 30)
            return (response.status, response.headers["content-type"] ?? "", String(decoding: response.body, as: UTF8.self),
                    try? JSONSerialization.jsonObject(with: Data(response.body)))
        }
        let races = try get("/v1/races")
        #expect(races.status == 200 && races.type == "application/json")
        #expect((races.json as? [[String: Any]])?.map { $0["race_id"] as? String } == ["r-1", "r-2"])
        let race = try get("/v1/races/r-1")
        let details = try #require(race.json as? [String: Any])
        #expect((details["race"] as? [String: Any])?["phase"] as? String == "settled")
        #expect((details["racers"] as? [Any])?.count == 2 && !((details["payouts"] as? [Any]) ?? []).isEmpty)
        // The same figures as the command line prints.
        let cli = try clash(["races", "show", "r-1", "--json"]).stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(try JSONSerialization.jsonObject(with: Data(cli.utf8)) as? NSDictionary == details["race"] as? NSDictionary)
        #expect((try get("/v1/leaderboard?race=r-1").json as? [[String: Any]])?.first?["rank"] as? Int == 1)
        // Equity per minute: 6 hours and the start, each curve starting at the start's equity and
        // ending exactly at the racer's final equity, as ranked.
        let equity = try #require(try get("/v1/races/r-1/equity").json as? [String: Any])
        let curves = try #require(equity["curves"] as? [[String: Any]])
        #expect(curves.count == 2)
        for racer in (details["racers"] as? [[String: Any]]) ?? [] {
            let points = try #require(curves.first { $0["clone_id"] as? String == racer["clone_id"] as? String }?["points"] as? [[Int]])
            #expect(points.count == 361 && points.first?[0] == (details["race"] as? [String: Any])?["started_ms"] as? Int)
            #expect(points.last?[1] == racer["final_equity_e6"] as? Int, "the curve ends at the ranked final equity")
            #expect(zip(points, points.dropFirst()).allSatisfy { $1[0] - $0[0] == 60_000 })
        }
        #expect(((try get("/v1/hall-of-fame").json as? [Any]) ?? []).count == 6)
        #expect(((try get("/v1/assets").json as? [Any]) ?? []).count == 2)
        #expect((try get("/v1/assets/BTC/latest").json as? [String: Any])?["symbol"] as? String == "BTC")
        let entries = try get("/v1/log/entries?from=1&limit=3")
        #expect(entries.status == 200 && entries.body.split(separator: "\n").count == 3)
        #expect(entries.body.split(separator: "\n").first.map(String.init) == (try clash(["log", "dump"]).stdout.split(separator: "\n").first.map(String.init)),
                "the records exactly as `log dump` prints them")

        // The transparency log over HTTP: the same root, signed head and proofs as the command line's,
        // and a served proof checks offline against the served head.
        #expect(try get("/v1/log/root").body == root && get("/v1/log/sth").body == head)
        #expect(try get("/v1/log/proof?seq=5").body == inclusion && get("/v1/log/consistency?first=10").body == consistency)
        // Disputes: a holder's ticket and the whole race, as `clash dispute --json` derives them.
        let holder = try #require(((details["payouts"] as? [[String: Any]]) ?? []).first { $0["kind"] as? String == "holder" }?["recipient"] as? String)
        let ticket = try #require(((try get("/v1/tickets?holder=\(holder)").json as? [String: Any])?["tickets"] as? [[String: Any]])?.first?["ticket_id"] as? String)
        #expect(try get("/v1/tickets/\(ticket)/dispute").body == clash(["dispute", "ticket", ticket, "--json"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(try get("/v1/races/r-1/dispute").body == clash(["dispute", "race", "r-1", "--json"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let served = data + "/proof.json", servedHead = data + "/sth.json"
        try get("/v1/log/proof?seq=5").body.write(toFile: served, atomically: true, encoding: .utf8)
        try get("/v1/log/sth").body.write(toFile: servedHead, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["log", "check-proof", served, "--head", servedHead]).status == 0)

        for (path, status, code) in [("/v1/log/proof", 400, "log.seq_missing"), ("/v1/log/proof?seq=5&size=999999999", 404, "log.no_such_tree"), ("/v1/log/entries?limit=1001", 400, "request.bad_parameter"),
                                     ("/v1/races/r-9", 404, "race.unknown"), ("/v1/tickets/r-1-t999/dispute", 404, "dispute.not_found"), ("/v1/clones/c-99", 404, "clone.unknown"),
                                     ("/v1/tickets?holder=0x12", 400, "ticket.bad_holder"), ("/v1/tickets", 400, "ticket.holder_missing"),
                                     ("/v1/nope", 404, "route.unknown")] {
            let refused = try get(path)
            #expect(refused.status == status && refused.type == "application/problem+json"
                    && (refused.json as? [String: Any])?["code"] as? String == code, "\(path): \(refused.status) \(refused.body)")
        }
        // The strategy is private: its prompt is in no answer, the log's records included.
        let clone = try #require(try get("/v1/clones/c-6").json as? [String: Any])
        #expect(clone["name"] as? String == "Secret" && clone["strategy"] == nil && clone["strategy_hash"] is String)
        for path in ["/v1/clones", "/v1/clones/c-6", "/v1/log/entries?from=1&limit=1000", "/v1/hall-of-fame", "/v1/leaderboard"] {
            #expect(!(try get(path).body.contains("MARKER-4471")), "\(path)")
        }

        // Every request has an id: the client's, or a new one; each answer is logged once with it.
        let tagged = try transport.send(HTTPRequest(method: "GET", url: URL(string: base + "/v1/races")!, headers: ["X-Request-Id": "audit-42"]), timeoutSeconds: 30)
        #expect(tagged.headers["x-request-id"] == "audit-42")
        let untagged = try transport.send(HTTPRequest(method: "GET", url: URL(string: base + "/v1/health")!), timeoutSeconds: 30)
        #expect(!(untagged.headers["x-request-id"] ?? "").isEmpty)
        #expect(try get("/v1/tickets/\(ticket)").json.flatMap { ($0 as? [String: Any])?["holder"] as? String } == holder)
        // Metrics: requests by the route's template and status, the log's head.
        let metrics = try get("/metrics")
        let stats = try clash(["log", "stats"]).stdout
        let headSequence = (try JSONSerialization.jsonObject(with: Data(stats.utf8)) as? [String: Any])?["head_sequence"] as? Int ?? -1
        #expect(metrics.status == 200 && metrics.body.contains(#"clash_http_requests_total{route="/v1/races",status="200"}"#)
                && metrics.body.contains(#"clash_http_requests_total{route="/v1/races/{race_id}",status="404"}"#)
                && metrics.body.contains("clash_log_head_sequence \(headSequence)"), "\(metrics.body.prefix(1500))")
        // Nothing appended since the server started; every read model folded up to the head by the queries above.
        #expect(metrics.body.contains("clash_log_appended_since_start_events 0")
                && metrics.body.contains(#"clash_projection_lag_events{read_model="arena"} 0"#), "\(metrics.body.prefix(3000))")

        server.terminate()
        server.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(server.terminationStatus == 0 && stderr.contains("note: server stopped") && !stderr.contains("error:"), "\(stderr)")
        #expect(stderr.contains("GET /v1/races 200 in") && stderr.contains("request_id=audit-42"), "\(stderr.suffix(300))")
    }

    /// Reads a streamed answer from a raw socket until `until` says it has what it waits for (or
    /// `seconds` pass), then closes the connection: a client of the live feed that leaves.
    static func stream(_ base: String, _ path: String, headers: [String] = [], seconds: Double, until: (String) -> Bool) throws -> String {
        let url = URL(string: base)!
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(url.port!).bigEndian
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        try #require(connected == 0)
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n"
        _ = request.withCString { send(descriptor, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, !until(String(decoding: received, as: UTF8.self)) {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count > 0 { received += chunk[..<count] } else if count == 0 { break }
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test("the live feed: the log's events as Server-Sent Events (id the sequence, data the record as stored), filtered by type, caught-up at the head, new events as they land, a heartbeat, resumed after Last-Event-ID; a client leaving or SIGTERM ends it")
    func liveFeed() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try CLI.run(["season", "simulate", "--seed", "3", "--clones", "3", "--races", "1", "--spectators", "2", "--assets", "2",
                             "--cadence", "1h", "--slots", "2", "--no-store-packets", "--quiet", "--data", data]).status == 0)
        // A server that only reads, so a writer can append beside it.
        let (server, base, errors) = try serve(["--heartbeat-seconds", "1", "--read-only"])
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let settled = try Self.stream(base, "/v1/events?from=1&type=race.settled&type=race.started", seconds: 30) { $0.contains("event: caught-up") }
        #expect(settled.hasPrefix("HTTP/1.1 200") && settled.lowercased().contains("content-type: text/event-stream"))
        let frames = settled.components(separatedBy: "\n\n").filter { $0.contains("\nevent: race.") || $0.hasPrefix("id: ") || $0.contains("id: ") }
        let ids = frames.compactMap { frame in frame.split(separator: "\n").first { $0.hasPrefix("id: ") }.flatMap { UInt64($0.dropFirst(4)) } }
        #expect(frames.count == 2 && ids == ids.sorted() && settled.contains("event: race.started") && settled.contains("event: race.settled"), "\(settled.suffix(600))")
        // The data line is the record exactly as `log dump` prints it.
        let dumped = try CLI.run(["log", "dump", "--type", "race.settled", "--data", data]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(settled.contains("data: " + dumped))
        // From the head: caught up at once, then an event appended meanwhile arrives, then heartbeats.
        let head = ids.last ?? 0
        nonisolated(unsafe) var appended = false
        nonisolated(unsafe) var ingestStatus: Int32?
        let live = try Self.stream(base, "/v1/events?type=hyperliquid.categories", headers: ["Last-Event-ID: \(head)"], seconds: 30) { text in
            if text.contains("event: caught-up"), !appended {
                appended = true
                ingestStatus = (try? CLI.run(["ingest", "categories", "--data", data, "--at", "1717400000000"]))?.status
            }
            return text.contains("event: hyperliquid.categories") && text.contains(": heartbeat")
        }
        #expect(ingestStatus == 0, "a writer appends beside a server that only reads")
        #expect(live.contains("event: caught-up") && live.contains("event: hyperliquid.categories") && live.contains(": heartbeat"), "\(live.suffix(400))")
        let caughtUp = try #require(live.range(of: "event: caught-up"))
        #expect(live[caughtUp.upperBound...].contains("event: hyperliquid.categories"), "the appended event arrives after the catch-up")
        // The client has left; SIGTERM ends the server (and any stream) at once, exit 0.
        let began = Date()
        server.terminate()
        server.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(server.terminationStatus == 0 && Date().timeIntervalSince(began) < 10 && !stderr.contains("error:"), "\(stderr)")
    }

    @Test("serve --run-arena: the scheduler runs inside the server — races open, run and settle as the logged market allows, read over HTTP while it works; a writer beside it is refused; SIGTERM stops both and the race audits as a match")
    func runArena() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try clash(["market", "simulate", "--seed", "2", "--assets", "3", "--hours", "40"]).status == 0)
        for index in 1...3 {
            #expect(try clash(["clones", "create", "--at", "1717200000000", "--owner", "0x8ba1f109551bd432803012645ac136ddd64dba72", "--name", "Bot \(index)",
                               "--assets", "BTC,ETH", "--prompt", "momentum", "--cadence", "15m", "--risk", "medium"]).status == 0)
        }
        let (server, base, errors) = try serve(["--run-arena", "--poll-seconds", "0.2", "--no-store-packets"])
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let transport = CurlTransport()
        var phases: [String: String] = [:]
        let deadline = Date().addingTimeInterval(120)
        while !(phases["r-1"] == "settled" && phases["r-3"] == "accumulating"), Date() < deadline {
            let races = try transport.send(HTTPRequest(method: "GET", url: URL(string: base + "/v1/races")!), timeoutSeconds: 30)
            for race in (try? JSONSerialization.jsonObject(with: Data(races.body)) as? [[String: Any]]) ?? [] {
                phases[race["race_id"] as? String ?? ""] = race["phase"] as? String
            }
            Thread.sleep(forTimeInterval: 0.3)
        }
        #expect(phases["r-1"] == "settled" && phases["r-2"] == "running" && phases["r-3"] == "accumulating", "\(phases)")
        let refused = try clash(["ingest", "categories", "--at", "1717400000000"])
        #expect(refused.status == 75 && refused.stderr.contains("pid \(server.processIdentifier)") && refused.stderr.contains("clash serve at \(base)"), "\(refused.stderr)")
        server.terminate()
        server.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(server.terminationStatus == 0 && stderr.contains("race r-1 settled") && !stderr.contains("error:"), "\(stderr.suffix(800))")
        #expect(try clash(["log", "verify"]).status == 0)
        #expect(try clash(["race", "audit", "r-1"]).stdout.contains("match"))
    }

    @Test("serve --simulated-speed: a season plays as time passes, its races seen accumulating, running and settled over HTTP; what it logged is byte for byte what season simulate writes")
    func simulatedSpeed() throws {
        let twin = data + "-twin"
        defer {
            try? FileManager.default.removeItem(atPath: data)
            try? FileManager.default.removeItem(atPath: twin)
        }
        let options = ["--seed", "3", "--clones", "3", "--races", "2", "--spectators", "2", "--assets", "2", "--cadence", "1h", "--slots", "2", "--no-store-packets"]
        // 37 simulated hours at 20,000 times real time: about 7 seconds.
        let (server, base, errors) = try serve(["--simulated-speed", "20000"] + options)
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let transport = CurlTransport()
        var seen: Set<String> = []
        var phases: [String] = []
        let deadline = Date().addingTimeInterval(120)
        while phases != ["settled", "settled"], Date() < deadline {
            let races = try transport.send(HTTPRequest(method: "GET", url: URL(string: base + "/v1/races")!), timeoutSeconds: 30)
            phases = ((try? JSONSerialization.jsonObject(with: Data(races.body)) as? [[String: Any]]) ?? []).compactMap { $0["phase"] as? String }
            seen.formUnion(phases)
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(phases == ["settled", "settled"] && seen.isSuperset(of: ["accumulating", "running", "settled"]), "\(seen) \(phases)")
        server.terminate()
        server.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(server.terminationStatus == 0 && stderr.contains("the season has played"), "\(stderr.suffix(600))")
        #expect(try CLI.run(["season", "simulate", "--data", twin, "--quiet"] + options).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: data + "/log").filter { $0.hasPrefix("seg-") }.sorted()
        let twinFiles = try FileManager.default.contentsOfDirectory(atPath: twin + "/log").filter { $0.hasPrefix("seg-") }.sorted()
        #expect(!files.isEmpty && files == twinFiles)
        for file in files {
            #expect(FileManager.default.contentsEqual(atPath: data + "/log/" + file, andPath: twin + "/log/" + file), "\(file) differs")
        }
    }

    @Test("limits: a long URL is 414, a body past the limit 413, and past the rate a client gets 429 with Retry-After while the next second it is served again; all problem+json")
    func limits() throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try CLI.run(["market", "simulate", "--data", data, "--seed", "1", "--assets", "2", "--hours", "1"]).status == 0)
        let (server, base, _) = try serve(["--rate-limit", "2"])
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let transport = CurlTransport()
        func ask(_ path: String, body: [UInt8]? = nil) throws -> HTTPResponse {
            try transport.send(HTTPRequest(method: "GET", url: URL(string: base + path)!, body: body), timeoutSeconds: 30)
        }
        let long = try ask("/v1/races?pad=" + String(repeating: "a", count: 9_000))
        #expect(long.status == 414 && long.headers["content-type"] == "application/problem+json")
        Thread.sleep(forTimeInterval: 1.1)
        let big = try ask("/v1/health", body: [UInt8](repeating: 0x61, count: (1 << 20) + 1))
        #expect(big.status == 413 && String(decoding: big.body, as: UTF8.self).contains("request.body_too_large"))
        Thread.sleep(forTimeInterval: 1.1)
        let burst = try (0..<12).map { _ in try ask("/v1/health") }
        #expect(burst.prefix(2).allSatisfy { $0.status == 200 }, "a burst of the rate is served")
        let limited = try #require(burst.first { $0.status == 429 }, "past the rate: 429")
        #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 >= 1 && String(decoding: limited.body, as: UTF8.self).contains("request.rate_limited"))
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try ask("/v1/health").status == 200, "served again once the bucket refills")
        server.terminate()
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
    }
}
