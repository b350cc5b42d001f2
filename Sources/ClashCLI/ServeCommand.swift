import ArgumentParser
import ClashServer
import Foundation
import Logging

struct ServeCommand: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the arena's read API over HTTP (races, leaderboard, Hall of Fame, clones, tickets, assets, the log's records).",
        discussion: """
            Prints {"listening": URL} on standard output once bound (with --listen HOST:0, the port chosen), then serves \
            until SIGINT or SIGTERM, which finish the requests in flight and exit 0. It only reads the data directory: \
            what lags behind the log is folded into copies in memory, so writers keep working beside it. Errors are \
            application/problem+json with the domain's stable code.
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "Where to listen, HOST:PORT (port 0: any free one).") var listen = "127.0.0.1:8080"
    @Option(help: "The key file (`clash log keygen`) that signs the tree heads of GET /v1/log/sth.") var headKey: String?
    @Option(help: "Seconds of silence after which the live feed (GET /v1/events) sends a heartbeat.") var heartbeatSeconds: Double = 15
    @Option(help: "Requests a second per client address, or off (benchmarks).") var rateLimit = "50"

    func execute() throws {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ValidationError("--listen \(listen): give HOST:PORT, e.g. 127.0.0.1:8080")
        }
        guard heartbeatSeconds > 0 else { throw ValidationError("--heartbeat-seconds must be above 0") }
        var server = ArenaServer(dataDirectory: data.directory, host: String(listen[..<colon]), port: port, headKeyFile: headKey)
        server.heartbeatSeconds = heartbeatSeconds
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
