import ClashCore
import Crypto
import Domain
import Foundation
import Testing

/// A universe of a few assets, as market memory would answer.
struct FakeUniverse: AssetUniverse {
    var categories: [String: [String]] = ["Crypto/Layer 1": ["BTC", "ETH", "SOL"], "All": ["BTC", "ETH", "SOL", "HYPE"]]
    var leverage: [String: Int64] = ["BTC": 40, "ETH": 25, "SOL": 20, "HYPE": 5]

    struct Unknown: Error, CustomStringConvertible { var description: String }

    func select(category: String?, include: [String], exclude: [String]) throws -> [String] {
        for symbol in include where leverage[symbol] == nil { throw Unknown(description: "\(symbol): no universe lists this asset") }
        var chosen = category.map { categories[$0] ?? [] } ?? []
        for symbol in include where !chosen.contains(symbol) { chosen.append(symbol) }
        return chosen.filter { !exclude.contains($0) }
    }

    func maxLeverage(_ symbol: String) -> Int64? { leverage[symbol] }
}

@Suite("strategy graphs", .timeLimit(.minutes(5)))
struct StrategyGraphTests {
    static let basic = StrategyGraph.basic(assets: ["HYPE"], category: "Crypto/Layer 1", prompt: "Follow the trend", cadence: "5m", risk: "low")

    @Test("every template granularity is valid, and converting upward keeps the same read plans")
    func conversions() throws {
        let custom = Self.basic.convertedUp()
        let power = custom.convertedUp()
        #expect(Self.basic.granularity == .basic && custom.granularity == .custom && power.granularity == .power)
        #expect(power.choices == nil)
        for graph in [Self.basic, custom, power] { #expect(graph.problems(universe: FakeUniverse()).isEmpty, "\(graph.granularity)") }
        let plans = try Self.basic.readPlans(universe: FakeUniverse())
        #expect(plans.map(\.asset) == ["BTC", "ETH", "HYPE", "SOL"])
        #expect(try custom.readPlans(universe: FakeUniverse()) == plans)
        #expect(try power.readPlans(universe: FakeUniverse()) == plans)
        #expect(plans[0].cadenceMs == 300_000 && plans[0].execution.maxLeverage == 2)
        #expect(plans[0].channels.map(\.key).contains("hyperliquid.candles.5m"))
    }

    @Test("a graph's hash is the SHA-256 of its canonical bytes, and decoding them gives the same graph")
    func canonicalRoundTrip() throws {
        let bytes = try Self.basic.canonicalBytes()
        #expect(try Self.basic.hash() == SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined(), "SHA-256 of the canonical bytes")
        #expect(try StrategyGraph.decode(bytes) == Self.basic)
        #expect(try StrategyGraph.decode(try Self.basic.prettyBytes()).hash() == Self.basic.hash())
        #expect(try Self.basic.hash().count == 64)
        #expect(try Self.basic.hash() != StrategyGraph.basic(assets: ["HYPE"], category: "Crypto/Layer 1", prompt: "Follow the trend!").hash())
    }

    @Test("validation reports every problem at once, each with its code and JSON pointer")
    func everyProblem() throws {
        var graph = Self.basic.convertedUp().convertedUp()
        let data = graph.blocks.firstIndex { $0.kind == "data_stream" }!
        graph.blocks[data].source = "binance"
        let prompt = graph.blocks.firstIndex { $0.kind == "trading_prompt" }!
        graph.blocks[prompt].cadence = "30s"
        graph.blocks[prompt].execution!.maxOrderNotionalUsd = 0
        graph.blocks.append(.init(id: "assets", kind: "asset", category: "Crypto/Layer 9"))
        graph.edges.append(.init(from: .init("ghost", "data"), to: .init("prompt", "data")))
        graph.edges.append(.init(from: .init("clone", "decisions"), to: .init("prompt", "data")))
        let problems = graph.problems()
        let found = Set(problems.map { "\($0.code) \($0.pointer)" })
        #expect(found.contains("data.unknown_source /blocks/\(data)/source"))
        #expect(found.contains("prompt.cadence_range /blocks/\(prompt)/cadence"))
        #expect(found.contains("execution.limit_not_positive /blocks/\(prompt)/execution/max_order_notional_usd"))
        #expect(found.contains("block.duplicate_id /blocks/\(graph.blocks.count - 1)/id"))
        #expect(found.contains("edge.dangling /edges/\(graph.edges.count - 2)/from/block"))
        #expect(found.contains("graph.cycle /edges"))
        #expect(problems.count >= 6)
        #expect(throws: GraphProblems.self) { try graph.validate() }
    }

    @Test("channels, intervals and lookbacks outside the catalog are named where they are")
    func channels() {
        var graph = Self.basic.convertedUp().convertedUp()
        let data = graph.blocks.firstIndex { $0.source == "hyperliquid" }!
        graph.blocks[data].channels = [.init(name: "orderflow"), .init(name: "candles", interval: "2m"),
                                       .init(name: "candles", interval: "1m", lookback: 31), .init(name: "mids", lookback: 3)]
        let codes = graph.problems().map { "\($0.code) \($0.pointer)" }
        #expect(codes.contains("data.unknown_channel /blocks/\(data)/channels/0/name"))
        #expect(codes.contains("data.unknown_interval /blocks/\(data)/channels/1/interval"))
        #expect(codes.contains("data.lookback_range /blocks/\(data)/channels/2/lookback"))
        #expect(codes.contains("data.unexpected_option /blocks/\(data)/channels/3/lookback"))
    }

    @Test("a graph without a clone, or a prompt without assets or data upstream, is refused")
    func shape() {
        var graph = Self.basic.convertedUp().convertedUp()
        graph.blocks.removeAll { $0.kind == "trading_clone" }
        graph.edges = graph.edges.filter { $0.from.block != "assets" && $0.to.block != "clone" && !$0.from.block.hasPrefix("data") }
        let codes = Set(graph.problems().map(\.code))
        #expect(codes.isSuperset(of: ["graph.no_clone", "prompt.no_assets", "prompt.no_data", "prompt.unconnected"]))
    }

    @Test("against market memory: leverage above an asset's maximum, unknown includes and empty selections")
    func againstMarket() {
        let high = StrategyGraph.basic(assets: ["HYPE"], prompt: "p", risk: "high")  // leverage 10 > HYPE's 5
        #expect(high.problems(universe: FakeUniverse()).map(\.code) == ["execution.leverage_above_asset"])
        #expect(high.problems().isEmpty, "without market memory the leverage is not checked")
        let unknown = StrategyGraph.basic(assets: ["NOPE"], prompt: "p")
        #expect(unknown.problems(universe: FakeUniverse()).map(\.code) == ["asset.unknown_asset"])
        let assetBlock = unknown.blocks.firstIndex { $0.kind == "asset" }!
        #expect(assetBlock > 0)
        #expect { try unknown.readPlans(universe: FakeUniverse()) } throws: {
            ($0 as? GraphProblems)?.problems.map(\.pointer) == ["/blocks/\(assetBlock)/include"]
        }
        let empty = StrategyGraph.basic(category: "Crypto/Layer 1", prompt: "p").convertedUp().convertedUp()
        var excluded = empty
        excluded.blocks[excluded.blocks.firstIndex { $0.kind == "asset" }!].exclude = ["BTC", "ETH", "SOL"]
        #expect(excluded.problems(universe: FakeUniverse()).map(\.code) == ["asset.empty_selection"])
    }

    @Test("a Basic graph whose blocks were edited by hand no longer matches its choices")
    func choicesMismatch() {
        var graph = Self.basic
        graph.blocks[0].channels = [.init(name: "mids")]
        #expect(graph.problems().map(\.code) == ["graph.choices_mismatch"])
    }

    @Test("a document of the wrong shape is refused with the pointer of the member")
    func malformed() {
        let text = #"{"graph_version":1,"granularity":"power","blocks":[{"id":"a","kind":7}],"edges":[],"layout":{}}"#
        do {
            _ = try StrategyGraph.decode(Array(text.utf8))
            Issue.record("expected a problem")
        } catch {
            #expect(error.problems.first?.pointer == "/blocks/0/kind")
        }
    }
}
