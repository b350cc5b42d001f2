import ArgumentParser
import Clash
import Market
import ClashServer
import Foundation
import Logging

struct ServeCommand: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the arena over HTTP: races, tickets, clones, the log and its proofs; sign-in with Ethereum; owners', spectators' and operators' commands.",
        discussion: """
            Prints {"listening": URL} on standard output once bound (with --listen HOST:0, the port chosen), then serves \
            until SIGINT or SIGTERM, which finish the requests in flight and exit 0. The server is the data directory's \
            one writer: a command that writes to it beside the server fails at once naming the server's pid and address; \
            read-only commands keep working. With --read-only it takes no lock and refuses writes (a reader beside \
            another writer). Errors are application/problem+json with the domain's stable code.
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "Where to listen, HOST:PORT (port 0: any free one).") var listen = "127.0.0.1:8080"
    @Option(help: "The key file (`clash log keygen`) that signs the tree heads of GET /v1/log/sth.") var headKey: String?
    @Option(help: "Seconds of silence after which the live feed (GET /v1/events) sends a heartbeat.") var heartbeatSeconds: Double = 15
    @Option(help: "Requests a second per client address, or off (benchmarks).") var rateLimit = "50"
    @Option(help: "The domain a sign-in message must name (EIP-4361; its URI then https://DOMAIN…). Default: the listen address.") var domain: String?
    @Option(help: "The chain id a sign-in message must name.") var chainId = 1
    @Flag(help: "Only read: take no writer lock; every write is refused (503 server.read_only).") var readOnly = false
    @Option(help: "Seconds a connection may stay open with no request in flight.") var idleSeconds: Int64 = 60
    @Option(help: "Log each answer on standard error: on or off (benchmarks; 5xx answers are logged anyway).") var accessLog = "on"
    @Flag(help: "Run the arena's scheduler and the decision runtime (free play) inside the server, in real time over the log (what `clash arena run` and `clash runtime worker` do).") var runArena = false
    @Option(help: "With --run-arena: seconds between the scheduler's and the runtime's looks at the log.") var pollSeconds: Double = 5
    @Flag(help: "With --run-arena: poll the market sources too (`--only`, `--books`, the sources' URLs), appending what they answer, with the exchange candles the clones read.") var ingest = false
    @Option(help: "With --ingest: the sources to poll, comma separated.") var only = "hyperliquid,polymarket,defillama"
    @Option(help: "With --ingest: the assets whose order book is polled, comma separated.") var books = "BTC,ETH"
    @OptionGroup var sources: SourceOptions
    @OptionGroup var arena: ArenaOptions
    @OptionGroup var engine: EngineOptions
    @Option(help: "Play a season (season simulate's, with --seed, --clones, --races, --spectators, --assets, --cadence, --slots) as time passes, this many simulated seconds to the second, on a new data directory.")
    var simulatedSpeed: Double?
    @Option(help: "With --simulated-speed: clones created.") var clones = 12
    @Option(help: "With --simulated-speed: races run.") var races = 4
    @Option(help: "With --simulated-speed: spectators buying tickets on each race.") var spectators = 20
    @Option(help: "With --simulated-speed: perpetuals in the market.") var assets = 10
    @Option(help: "With --simulated-speed: every clone's cadence (1m, 5m, 15m or 1h).") var cadence = "5m"

    func execute() throws {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ValidationError("--listen \(listen): give HOST:PORT, e.g. 127.0.0.1:8080")
        }
        guard heartbeatSeconds > 0 else { throw ValidationError("--heartbeat-seconds must be above 0") }
        var server = ArenaServer(dataDirectory: data.directory, host: String(listen[..<colon]), port: port, headKeyFile: headKey)
        server.heartbeatSeconds = heartbeatSeconds
        server.domain = domain
        server.chainId = chainId
        server.readOnly = readOnly
        guard idleSeconds > 0 else { throw ValidationError("--idle-seconds must be above 0") }
        server.limits.idleSeconds = idleSeconds
        guard ["on", "off"].contains(accessLog) else { throw ValidationError("--access-log \(accessLog): give on or off") }
        server.accessLog = accessLog == "on"
        if let speed = simulatedSpeed {
            guard speed > 0, !readOnly, !runArena else { throw ValidationError("--simulated-speed takes a speed above 0, and neither --read-only nor --run-arena") }
            guard data.missingLog != nil else {
                throw ValidationError("\(data.directory) already holds a log; a season plays into a new data directory (give another --data)")
            }
            guard clones >= 1, races >= 1, spectators >= 0, assets >= 1, ["1m", "5m", "15m", "1h"].contains(cadence) else {
                throw ValidationError("--clones, --races and --assets must be at least 1, --spectators at least 0, --cadence 1m, 5m, 15m or 1h")
            }
            let engine = engine
            server.season = SimulatedSeason(speed: speed, seed: engine.seed, clones: clones, races: races, spectators: spectators, assets: assets,
                                            cadence: cadence, slots: arena.slots, storePackets: arena.storePackets) { try engine.perClone(artifacts: $0) }
        }
        if runArena {
            guard !readOnly else { throw ValidationError("--run-arena writes: it cannot run with --read-only") }
            guard pollSeconds > 0 else { throw ValidationError("--poll-seconds must be above 0") }
            let (arena, engine, pollSeconds) = (arena, engine, pollSeconds)
            server.background.append(BackgroundWork(name: "the arena") { ledger in
                let loop = ArenaLoop(scheduler: try arena.scheduler(ledger, engine: engine), log: ledger.log, pollSeconds: pollSeconds)
                return { shouldStop, note in _ = try loop.run(shouldStop: shouldStop, progress: note) }
            })
            let candles = ingest ? CandleFeed() : nil
            server.background.append(BackgroundWork(name: "the runtime") { ledger in
                let worker = try RuntimeWorker(log: ledger.log, artifacts: ledger.artifacts, settings: .init(), engine: try engine.perClone(artifacts: ledger.artifacts))
                let loop = RuntimeLoop(worker: worker, candles: candles, pollSeconds: pollSeconds)
                return { shouldStop, note in try loop.run(shouldStop: shouldStop, note: note) }
            })
            if ingest {
                let polling = try PollOptions.parse(["--only", only, "--books", books])
                let sources = sources
                server.background.append(BackgroundWork(name: "ingestion") { ledger in
                    let poller = try polling.poller(sources: sources, log: ledger.log, candles: candles)
                    return { shouldStop, _ in _ = try poller.run(rounds: nil, shouldStop: shouldStop) { polling.report($0, jobs: poller.jobs) } }
                })
            }
        }
        if rateLimit == "off" {
            server.limits.requestsPerSecond = nil
        } else if let rate = Int(rateLimit), rate > 0 {
            server.limits.requestsPerSecond = rate
        } else {
            throw ValidationError("--rate-limit \(rateLimit): give requests a second (above 0) or off")
        }
        var logger = Logger(label: "clash.serve") { _ in StandardErrorLogHandler() }
        logger.logLevel = .notice
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: (any Error)?
        Task { [logger] in
            do {
                try await server.run(logger: logger) { url in
                    Output.json { json in
                        json.beginObject()
                        json.key("listening"); json.string(url)
                        json.endObject()
                    }
                }
            } catch {
                failure = error
            }
            done.signal()
        }
        done.wait()
        if let failure { throw failure }
        Output.note("server stopped")
    }
}
