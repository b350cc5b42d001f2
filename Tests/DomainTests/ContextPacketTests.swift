import ClashCore
import Crypto
import Domain
import Foundation
import Testing

@Suite("context packets", .timeLimit(.minutes(5)))
struct ContextPacketTests {
    static let asOf: Int64 = 1_717_210_800_000

    static func latest(midTs: Int64 = asOf - 30_000) -> AssetLatest {
        let candles = (0..<40).map { index in
            AssetLatest.Candle(openMs: asOf - Int64(40 - index) * 60_000, openE8: 100 + Int64(index), highE8: 110, lowE8: 90, closeE8: 105)
        }
        return AssetLatest(symbol: "BTC", dex: "", kind: "perp", quote: "USDC", maxLeverage: 40, delisted: false, categories: ["Crypto/Layer 1"],
                           asOfMs: asOf, price: .init(midE8: 6_512_345_000_000, ts: midTs), candles: ["1m": candles],
                           liquidity: .init(spreadBp: 2, ts: asOf - 5 * 3_600_000), funding: .init(currentE12: 12_500, samples24h: 3, ts: asOf - 60_000),
                           volatility: .init(), positioning: .init(), polymarket: .init(), defillama: .init())
    }

    static func plan(cadence: Int64 = 60_000) -> ReadPlan {
        ReadPlan(prompt: "prompt", asset: "BTC", cadenceMs: cadence,
                 channels: [.init(source: "hyperliquid", name: "candles", interval: "1m", lookback: 3), .init(source: "hyperliquid", name: "funding"),
                            .init(source: "hyperliquid", name: "liquidity"), .init(source: "hyperliquid", name: "mids"),
                            .init(source: "polymarket", name: "immediate")].sorted(),
                 execution: RiskPreset.controls("low")!)
    }

    @Test("a packet is canonical JSON whose hash is the SHA-256 of its bytes, the same every time")
    func deterministic() throws {
        let view = try AssetView(symbol: "BTC", asOfMs: Self.asOf, latest: Self.latest())
        let packet = ContextPacket.build(plan: Self.plan(), view: view, throughSequence: 77)
        let again = ContextPacket.build(plan: Self.plan(), view: try AssetView(symbol: "BTC", asOfMs: Self.asOf, latest: Self.latest()),
                                        throughSequence: 77)
        #expect(packet == again)
        #expect(packet.hash == SHA256.hash(data: packet.bytes).map { String(format: "%02x", $0) }.joined())
        let json = try #require(try JSONSerialization.jsonObject(with: Data(packet.bytes)) as? [String: Any])
        #expect(json["through_sequence"] as? Int == 77 && json["as_of_ms"] as? Int64 == Self.asOf)
        let channels = try #require(json["channels"] as? [String: [String: Any]])
        #expect((channels["hyperliquid.candles.1m"]?["data"] as? [Any])?.count == 3, "the lookback keeps the newest 3")
    }

    @Test("a channel with nothing fresher than its window is stale, never silently empty")
    func stale() throws {
        let view = try AssetView(symbol: "BTC", asOfMs: Self.asOf, latest: Self.latest())
        let packet = ContextPacket.build(plan: Self.plan(), view: view, throughSequence: 1)
        // Liquidity is 5 hours old (window 2 h); Polymarket has nothing at all.
        #expect(packet.staleChannels == ["hyperliquid.liquidity", "polymarket.immediate"])
        let oldMid = try AssetView(symbol: "BTC", asOfMs: Self.asOf, latest: Self.latest(midTs: Self.asOf - 180_000))
        #expect(ContextPacket.build(plan: Self.plan(), view: oldMid, throughSequence: 1).staleChannels.contains("hyperliquid.mids"),
                "a mid older than 2 cadences of 1 minute")
        #expect(!ContextPacket.build(plan: Self.plan(cadence: 300_000), view: oldMid, throughSequence: 1).staleChannels.contains("hyperliquid.mids"),
                "the same mid within 2 cadences of 5 minutes")
    }

    @Test("an asset market memory does not list is all stale, marked unlisted")
    func unlisted() throws {
        let packet = ContextPacket.build(plan: Self.plan(), view: try AssetView(symbol: "BTC", asOfMs: Self.asOf, latest: nil), throughSequence: 1)
        #expect(packet.staleChannels.count == Self.plan().channels.count)
        #expect(String(decoding: packet.bytes, as: UTF8.self).contains(#""asset":{"listed":false,"symbol":"BTC"}"#))
    }

    @Test("a list channel over its size limit keeps its newest items that fit and says truncated")
    func sizeLimit() {
        let item = Array(repeating: UInt8(ascii: "1"), count: 1_000)
        let (bytes, truncated) = ContextPacket.list(Array(repeating: item, count: 40))
        #expect(truncated && bytes.count <= ContextPacket.channelBytesMax)
        #expect(ContextPacket.list([item]).1 == false)
    }

    @Test("the prompt is the system text, the strategy, the packet and the answer schema, hashed")
    func prompt() throws {
        let packet = ContextPacket.build(plan: Self.plan(), view: try AssetView(symbol: "BTC", asOfMs: Self.asOf, latest: Self.latest()),
                                         throughSequence: 1)
        let prompt = PromptAssembly.assemble(strategyPrompt: "Buy dips", packet: packet, answerSchema: Array("{}".utf8))
        let text = String(decoding: prompt.bytes, as: UTF8.self)
        #expect(text.contains("# Strategy\nBuy dips\n") && text.contains(String(decoding: packet.bytes, as: UTF8.self)))
        #expect(prompt.hash != PromptAssembly.assemble(strategyPrompt: "Sell rips", packet: packet, answerSchema: Array("{}".utf8)).hash)
    }
}
