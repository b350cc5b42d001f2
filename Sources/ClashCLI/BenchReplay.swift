import ArgumentParser
import Foundation
import LedgerLog
import Clash
import Projections

/// Replays synthetic ticks from the log into the tick and candle read models.
struct BenchReplay: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Replay N tick events from the log into the tick and candle read models; print JSON.")

    @OptionGroup var data: DataOptions
    @Option(help: "How many tick events.") var events = 1_000_000
    @Option(help: "Seed of the synthetic ticks.") var seed: UInt64 = 1

    func execute() throws {
        let directory = data.directory + "/bench-replay-\(seed)-\(events)"
        try? FileManager.default.removeItem(atPath: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = try FileLog.open(directory: directory + "/log", options: FileLogOptions(fsync: .none))
        var ticks = SyntheticTicks(seed: seed)
        var left = events
        var last: UInt64 = 0
        while left > 0 {
            let count = min(1_000, left)
            last = try log.submit((0..<count).map { _ in ticks.next()! }).lastSequence
            left -= count
        }
        try log.waitUntilDurable(last)
        try log.close()

        let start = monotonicSeconds()
        let runner = try ProjectionRunner(directory: directory + "/projections", log: try LogReader(directory: directory + "/log"),
                                          projectors: [MarketTicksProjector()])
        let replayed = try runner.catchUp()
        let seconds = monotonicSeconds() - start
        let hash = try runner.stateHashes()["market_ticks"]!.overall
        try runner.close()
        Output.json { json in
            json.beginObject()
            json.key("events"); json.int(replayed)
            json.key("events_per_second"); json.int(Int(Double(replayed) / max(seconds, 1e-9)))
            json.key("seconds"); json.decimal(seconds, places: 3)
            json.key("seed"); json.uint(seed)
            json.key("state_hash"); json.string(hash)
            json.endObject()
        }
    }
}
