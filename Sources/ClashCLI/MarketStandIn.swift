import ArgumentParser
import ClashTesting
import Foundation

/// A local stand-in for Hyperliquid's `POST /info`, to try the live path with no network.
struct MarketStandIn: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "stand-in",
        abstract: "Serve a stand-in for Hyperliquid's POST /info on 127.0.0.1: recorded universes with prices moving on the wall clock.",
        discussion: """
            Serves --universe (a recorded metaAndAssetCtxs response) and --spot (a recorded spotMetaAndAssetCtxs \
            response) with every price moving about its recorded mark, allMids, l2Book, and candleSnapshot for any coin \
            and interval from the same paths; --delist SYMBOL@MS delists an asset from a time on. Other requests are \
            refused with HTTP 400, as the exchange refuses what it does not know. Prints {"url": …} and serves until \
            SIGINT or SIGTERM. Point `clash ingest run` or `clash runtime worker --ingest` at it with --hyperliquid-url.
            """)

    @Option(help: "A recorded metaAndAssetCtxs response.") var universe: String
    @Option(help: "A recorded spotMetaAndAssetCtxs response.") var spot: String?
    @Option(help: "The port to listen on (0: any free one).") var port: UInt16 = 0
    @Option(help: "An asset delisted from a time on, SYMBOL@MS (repeat for more).") var delist: [String] = []

    func execute() throws {
        var delisted: [String: Int64] = [:]
        for entry in delist {
            let parts = entry.split(separator: "@")
            guard parts.count == 2, let ms = Int64(parts[1]) else { throw ValidationError("--delist \(entry): give SYMBOL@MS, e.g. SOL@1770337200000") }
            delisted[String(parts[0])] = ms
        }
        let stop = StopSignal()
        let exchange = try StandInHyperliquid(universeFile: universe, spotFile: spot, port: port,
                                              now: { Int64(Date().timeIntervalSince1970 * 1000) }, delistedFrom: delisted)
        Output.json { json in
            json.beginObject()
            json.key("url"); json.string(exchange.baseURL.absoluteString)
            json.endObject()
        }
        while !stop.requested { Thread.sleep(forTimeInterval: 0.1) }
        exchange.stop()
    }
}
