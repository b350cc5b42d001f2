import ArgumentParser
import Clash
import Foundation
import Market

/// Times context packets: a seeded synthetic market in memory, clones with varied Basic and
/// Custom strategies over every asset, then, minute by minute over the market's last hour, the
/// market folded to the minute and every clone's packet of every asset built. Packets per second
/// count packet building alone (the market already folded); the fold is timed apart.
struct BenchContext: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "context", abstract: "Time context packets per second over a folded synthetic market; print JSON.")

    @Option(help: "How many clones, each trading every asset.") var clones = 100
    @Option(help: "How many perpetuals.") var assets = 10
    @Option(help: "Hours of market before the timed minutes.") var hours = 6
    @Option(help: "Timed minutes (1-minute steps at the end of the market).") var minutes = 60
    @Option(help: "Seed of the market and of the strategies.") var seed: UInt64 = 1

    func execute() throws {
        let start: Int64 = 1_717_200_000_000
        let log = MemoryLog()
        try log.append([try CategoryMapping.event().draft(id: "categories", stream: "source.hyperliquid", timestampMs: start)])
        let market = SyntheticMarket(seed: seed, assets: assets, hours: hours)
        let symbols = market.symbols
        var drafts: [EventDraft] = []
        for draft in market {
            drafts.append(draft)
            if drafts.count == 20_000 { try log.append(drafts); drafts.removeAll(keepingCapacity: true) }
        }
        if !drafts.isEmpty { try log.append(drafts) }

        var random = SplitMix64(seed: seed)
        let graphs = (0..<clones).map { index -> StrategyGraph in
            let presets = SourcePreset.names.filter { _ in random.next() % 3 != 0 }
            let choices = StrategyChoices(assets: symbols, prompt: "clone \(index)", cadence: ["1m", "5m", "15m"][Int(random.next() % 3)],
                                          risk: RiskPreset.names[Int(random.next() % 3)], sources: presets.isEmpty ? ["price"] : presets)
            return choices.graph(index % 2 == 0 ? .basic : .custom)
        }

        let end = start + Int64(hours) * 3_600_000
        let first = end - Int64(minutes) * 60_000
        let pipeline = try ContextPipeline(log: log)
        try pipeline.advance(to: first - 60_000)
        let plans = try graphs.map { try pipeline.plans($0) }
        var packets = 0
        var bytes = 0
        var foldSeconds = 0.0
        var packetSeconds = 0.0
        var digest = ChainHash.genesis
        for minute in 0..<minutes {
            let folding = DispatchTime.now()
            try pipeline.advance(to: first + Int64(minute) * 60_000)
            let building = DispatchTime.now()
            for clonePlans in plans {
                for plan in clonePlans {
                    let packet = try pipeline.packet(plan)
                    packets += 1
                    bytes += packet.bytes.count
                    if minute == minutes - 1 { digest = digest.next(Array(packet.hash.utf8)) }
                }
            }
            let done = DispatchTime.now()
            foldSeconds += Double(building.uptimeNanoseconds - folding.uptimeNanoseconds) / 1e9
            packetSeconds += Double(done.uptimeNanoseconds - building.uptimeNanoseconds) / 1e9
        }
        Output.json { json in
            json.beginObject()
            json.key("assets"); json.int(assets)
            json.key("bytes_per_packet"); json.int(bytes / max(packets, 1))
            json.key("clones"); json.int(clones)
            json.key("fold_seconds"); json.decimal(foldSeconds, places: 3)
            json.key("last_minute_digest"); json.string(digest.hex)
            json.key("minutes"); json.int(minutes)
            json.key("packet_seconds"); json.decimal(packetSeconds, places: 3)
            json.key("packets"); json.int(packets)
            json.key("packets_per_second"); json.int(Int(Double(packets) / packetSeconds))
            json.key("packets_per_second_with_fold"); json.int(Int(Double(packets) / (packetSeconds + foldSeconds)))
            json.key("seed"); json.uint(seed)
            json.endObject()
        }
    }
}
