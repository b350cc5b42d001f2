import Clash
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import SignIn
import Transparency

/// `clash serve`: the arena over HTTP — what a spectator, an owner's page or an outside auditor
/// reads (races, a race's racers and payouts, the leaderboard, the Hall of Fame, clones' public
/// views, tickets, assets, the log and its proofs) and what they do, signed in with Ethereum
/// (clones, strategies, tickets) or as an operator (the kill switch, cancellations, audits).
/// Every handler decodes the request, asks the application layer (`Queries`, the `Ledger`'s
/// commands), and encodes the answer as JSON; errors are problem+json.
public struct ArenaServer: Sendable {
    public var dataDirectory: String
    public var host: String
    public var port: Int
    /// The key file (`clash log keygen`) that signs `GET /v1/log/sth`; nil: no signed heads.
    public var headKeyFile: String?
    /// Seconds of silence after which the live feed sends a heartbeat comment.
    public var heartbeatSeconds: Double = 15
    /// What one client may ask.
    public var limits = Limits()
    /// The domain a sign-in message must name (EIP-4361); nil: the address listened on, HOST:PORT.
    public var domain: String?
    /// The chain a sign-in message must name.
    public var chainId = 1
    /// Only read: take no writer lock, answer every write `server.read_only` (a reader beside
    /// another writer, or a replica for auditors).
    public var readOnly = false
    /// Work run beside the requests on threads of their own over the server's writing ledger until
    /// the server stops (`--run-arena`: the arena's scheduler, the decision runtime, ingestion).
    public var background: [BackgroundWork] = []
    /// A season to play as time passes (`--simulated-speed`), on a new data directory.
    public var season: SimulatedSeason?
    /// Whether each answer is logged on standard error (off for benchmarks, as nginx's `access_log off`).
    public var accessLog = true

    public init(dataDirectory: String, host: String = "127.0.0.1", port: Int = 8080, headKeyFile: String? = nil) {
        self.dataDirectory = dataDirectory
        self.host = host
        self.port = port
        self.headKeyFile = headKeyFile
    }

    /// The most records `GET /v1/log/entries` answers at once.
    public static let entriesLimitMax = 1_000

    /// Serves until SIGTERM or SIGINT (requests in flight finish); `onListening` gets the bound
    /// address (the port chosen when `port` is 0).
    public func run(logger: Logger, onListening: @escaping @Sendable (String) -> Void) async throws {
        let ledger = try ServedLedger(directory: dataDirectory, headKey: try headKeyFile.map { try SigningKeyFile.load($0) }, writable: !readOnly,
                                      clock: season == nil ? SystemClock() : FixedClock(Season.start),
                                      ids: season.map { SeededIds(seed: $0.seed, prefix: "season") } ?? RandomIds())
        defer { ledger.close() }
        let router = Router(context: ArenaRequestContext.self)
        let metrics = ServerMetrics()
        metrics.started(at: (try? ledger.headSequence()) ?? 0)
        router.add(middleware: RequestLogMiddleware(metrics: metrics, accessLog: accessLog))
        router.add(middleware: ProblemMiddleware())
        let signIn = SignInService(expectation: .init(domain: domain ?? host, uri: "http://\(host)", chainId: chainId), now: { SystemClock.nowMs })
        let auth = Authenticator(signIn: signIn, operators: OperatorTokens(directory: dataDirectory))
        router.add(middleware: LimitsMiddleware(limits, auth: auth))
        Self.routes(router, ledger)
        Self.authRoutes(router, auth, bodyLimit: limits.bodyBytesMax)
        Self.ownerRoutes(router, ledger, auth, bodyLimit: limits.bodyBytesMax)
        Self.ticketRoutes(router, ledger, auth, bodyLimit: limits.bodyBytesMax)
        Self.operatorRoutes(router, ledger, auth, bodyLimit: limits.bodyBytesMax)
        WebPage.routes(router)
        let heartbeat = heartbeatSeconds
        let live = LiveHead()
        let following = Task { await live.follow(ledger) }
        defer { following.cancel() }
        let subscribersMax = limits.liveSubscribersMax
        router.get("/v1/events") { request, _ -> Response in
            EventFeed.response(request, ledger, live: live, heartbeatSeconds: heartbeat, metrics: metrics, subscribersMax: subscribersMax)
        }
        router.get("/metrics") { _, _ -> Response in
            let text = metrics.exposition(headSequence: (try? ledger.headSequence()) ?? 0, projectionLag: (try? ledger.projectionLag()) ?? [])
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
        }
        let threads = try background.map { work in try start(work, ledger, logger: logger) }
        defer { for thread in threads { thread.stop() } }
        let seasonThread = season.map { season in
            BackgroundLoop(name: "season") { shouldStop in
                do {
                    try ledger.play(season, shouldStop: shouldStop) { logger.notice("\($0)") }
                    if !shouldStop() { logger.notice("the season has played") }
                } catch {
                    logger.error("the season stopped: \(error)")
                }
            }
        }
        defer { seasonThread?.stop() }
        // The parser stops what is far past the limits; what is just past them is answered 431 by `LimitsMiddleware`.
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(maxHeaderFieldSize: 2 * limits.headerBytesMax,
                                                                     maxHeaderListSize: 2 * limits.headerBytesMax, maxHeaderFieldCount: 2 * limits.headerFieldsMax)
        let app = Application(router: router, server: .http1(configuration: .init(idleTimeout: .seconds(limits.idleSeconds), httpDecoderConfiguration: decoder)),
                              configuration: .init(address: .hostname(host, port: port), serverName: "clash"),
                              onServerRunning: { [domain, chainId] channel in
                                  let port = channel.localAddress?.port ?? 0
                                  let origin = "http://\(host):\(port)"
                                  signIn.expectation = (.init(domain: domain ?? "\(host):\(port)", uri: domain.map { "https://\($0)" } ?? origin, chainId: chainId))
                                  ledger.announce(origin)
                                  onListening(origin)
                              }, logger: logger)
        try await app.runService()
    }

    /// One piece of background work on a thread of its own, made over the server's writing ledger.
    private func start(_ work: BackgroundWork, _ ledger: ServedLedger, logger: Logger) throws -> BackgroundLoop {
        // Made here, then used by the work's thread alone.
        nonisolated(unsafe) let run = try ledger.write { try work.make($0) }
        return BackgroundLoop(name: work.name) { shouldStop in
            do {
                try run(shouldStop) { logger.notice("\($0)") }
            } catch {
                logger.error("\(work.name) stopped: \(error)")
            }
        }
    }

    static func routes(_ router: Router<ArenaRequestContext>, _ ledger: ServedLedger) {
        router.get("/v1/health") { _, _ in json(Array(#"{"status":"ok"}"#.utf8)) }
        router.get("/openapi.yaml") { _, _ -> Response in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"), let bytes = FileManager.default.contents(atPath: url.path) else {
                return Problem(.internalServerError, "server.no_contract", "the OpenAPI document is missing from this build").response
            }
            return Response(status: .ok, headers: [.contentType: "application/yaml"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(bytes))))
        }
        router.get("/v1/races") { request, _ in ledger.cache.answer(request) { try array(ledger.query { try $0.races() }) } }
        router.get("/v1/races/:race_id") { request, context in
            ledger.cache.answer(request) {
                let id = try context.parameters.require("race_id")
                let (race, ifWins) = try ledger.query { queries in (try queries.race(id), try queries.ticketPaysIfWins(id)) }
                // What a ticket on each racer would pay if that racer won alone, with the tickets standing now.
                let wins = list(ifWins.map { racer in
                    Array("{\"clone_id\":\"\(racer.cloneId)\",\"ticket_pays_wei\":\(racer.ticketPaysWei.map { "\"\($0.value)\"" } ?? "null"),\"tickets\":\(racer.tickets)}".utf8)
                })
                return object([("if_wins", wins), ("race", race.race.canonicalJSON), ("racers", array(race.racers)), ("payouts", array(race.payouts))])
            }
        }
        router.get("/v1/races/:race_id/equity") { request, context in
            ledger.cache.answer(request) { try ledger.raceEquity(try context.parameters.require("race_id")) }
        }
        router.get("/v1/leaderboard") { request, _ in
            ledger.cache.answer(request) {
                if let race = request.uri.queryParameters.get("race") { return try array(ledger.query { try $0.raceRanking(race) }) }
                return try array(ledger.query { try $0.leaderboard() })
            }
        }
        router.get("/v1/hall-of-fame") { request, _ in ledger.cache.answer(request) { try array(ledger.query { try $0.hallOfFame() }) } }
        router.get("/v1/clones") { request, _ in ledger.cache.answer(request) { try array(ledger.query { try $0.clones() }) } }
        // The public view: never the strategy (that needs a signed-in owner or an operator).
        router.get("/v1/clones/:clone_id") { request, context in
            ledger.cache.answer(request) { try ledger.query { try $0.publicClone(try context.parameters.require("clone_id")) }.canonicalJSON }
        }
        // A clone's paper account and runs: derived from the log, which is public (they carry only hashes).
        router.get("/v1/clones/:clone_id/account") { request, context in
            ledger.cache.answer(request) {
                let cloneId = try context.parameters.require("clone_id")
                _ = try ledger.query { try $0.publicClone(cloneId) }
                let competition = request.uri.queryParameters.get("competition") ?? "free"
                return try ledger.activity { log, _ in try CloneActivity.account(cloneId, competition: competition, log: log) }
            }
        }
        router.get("/v1/clones/:clone_id/runs") { request, context in
            ledger.cache.answer(request) {
                let cloneId = try context.parameters.require("clone_id")
                _ = try ledger.query { try $0.publicClone(cloneId) }
                let competition = request.uri.queryParameters.get("competition") ?? "free"
                return list(try ledger.activity { log, _ in
                    try CloneActivity.trail(cloneId, competition: competition, asset: request.uri.queryParameters.get("asset"), log: log)
                })
            }
        }
        router.get("/v1/tickets") { request, _ in
            ledger.cache.answer(request) {
                guard let text = request.uri.queryParameters.get("holder") else {
                    throw Problem(.badRequest, "ticket.holder_missing", "give ?holder=ADDRESS (0x and 40 hex digits)")
                }
                let holder = try Address.parse(text, field: "holder", code: "ticket.bad_holder")
                let held = try ledger.query { try $0.tickets(holder: holder) }
                return object([("payouts", array(held.payouts)), ("tickets", array(held.tickets))])
            }
        }
        router.get("/v1/tickets/:ticket_id") { request, context in
            ledger.cache.answer(request) { try ledger.query { try $0.ticket(try context.parameters.require("ticket_id")) }.canonicalJSON }
        }
        router.get("/v1/tickets/:ticket_id/dispute") { request, context in
            ledger.cache.answer(request) { try ledger.ticketDispute(try context.parameters.require("ticket_id")) }
        }
        router.get("/v1/races/:race_id/dispute") { request, context in
            ledger.cache.answer(request) { try ledger.raceDispute(try context.parameters.require("race_id")) }
        }
        router.get("/v1/assets") { request, _ in
            ledger.cache.answer(request) {
                let category = request.uri.queryParameters.get("category") ?? "All"
                return list(try ledger.query { try $0.assets(category: category) }.map(\.canonicalJSON))
            }
        }
        router.get("/v1/assets/:symbol/latest") { request, context in
            ledger.cache.answer(request) {
                let symbol = try context.parameters.require("symbol")
                guard let latest = try ledger.query({ try $0.latest(symbol) }) else {
                    throw DomainError("asset.unknown", "no universe lists \(symbol)")
                }
                return Array(try AssetMemory.encode(latest))
            }
        }
        router.get("/v1/log/entries") { request, _ -> Response in entries(request, ledger) }
        router.get("/v1/log/root") { request, _ in ledger.cache.answer(request) { try ledger.root(size: try integer(request, "size", in: 0...maxInteger)) } }
        router.get("/v1/log/proof") { request, _ in
            ledger.cache.answer(request) {
                guard let sequence = try integer(request, "seq", in: 1...maxInteger) else {
                    throw Problem(.badRequest, "log.seq_missing", "give ?seq=S (an event's sequence), and &size=N for an earlier tree")
                }
                return try ledger.inclusion(sequence: sequence, size: try integer(request, "size", in: 0...maxInteger))
            }
        }
        router.get("/v1/log/consistency") { request, _ in
            ledger.cache.answer(request) {
                guard let first = try integer(request, "first", in: 0...maxInteger) else {
                    throw Problem(.badRequest, "log.first_missing", "give ?first=M (the earlier tree size), and &second=N (default: the whole log)")
                }
                return try ledger.consistency(first: first, second: try integer(request, "second", in: 0...maxInteger))
            }
        }
        router.get("/v1/log/sth") { request, _ in
            ledger.cache.answer(request) {
                guard let head = try ledger.signedHead() else {
                    throw Problem(.notFound, "log.unsigned", "this server signs no tree heads (started without --head-key); GET /v1/log/root gives the root")
                }
                return head
            }
        }
    }

    /// The log's records from `from` on (at most `limit`, up to `entriesLimitMax`), one per line,
    /// exactly as stored, so anyone can hash the leaves again.
    static func entries(_ request: Request, _ ledger: ServedLedger) -> Response {
        ledger.cache.answer(request, type: "application/x-ndjson") {
            let from = try integer(request, "from", in: 1...maxInteger) ?? 1
            let limit = Int(try integer(request, "limit", in: 1...UInt64(entriesLimitMax)) ?? 100)
            var lines: [UInt8] = []
            for record in try ledger.records(from: from, limit: limit) { lines += record.canonicalBytes + [0x0A] }
            return lines
        }
    }

    /// The largest integer a parameter takes (what the OpenAPI document says: a signed 64-bit one).
    static let maxInteger = UInt64(Int64.max)

    /// An integer query parameter within `range`, nil when absent; `request.bad_parameter` (400) otherwise.
    static func integer(_ request: Request, _ name: String, in range: ClosedRange<UInt64>) throws -> UInt64? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let value = UInt64(text), range.contains(value) else {
            throw Problem(.badRequest, "request.bad_parameter", "\(name)=\(text): give an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    static func answer(_ body: () throws -> [UInt8]) throws -> Response {
        do { return json(try body()) } catch { return Problem(error).response }
    }

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Encoded JSON values as one array.
    static func list(_ items: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = [0x5B]
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(0x2C) }
            out += item
        }
        return out + [0x5D]
    }

    static func array(_ rows: [QueryRow]) -> [UInt8] { list(rows.map(\.canonicalJSON)) }

    /// An object of already-encoded members, keys given in order.
    static func object(_ members: [(String, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = [0x7B]
        for (index, (key, value)) in members.enumerated() {
            if index > 0 { out.append(0x2C) }
            out += Array("\"\(key)\":".utf8) + value
        }
        return out + [0x7D]
    }
}
