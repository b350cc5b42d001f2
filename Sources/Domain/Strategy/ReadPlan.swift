/// What one run of a clone reads: one Trading Prompt on one asset, its channels with their
/// options, its cadence and execution controls. A graph compiles to one plan per (prompt, asset).
public struct ReadPlan: Codable, Sendable, Equatable, Hashable {
    public var prompt: String
    public var asset: String
    public var cadenceMs: Int64
    /// Sorted by key; one per source, channel and interval.
    public var channels: [PlannedChannel]
    public var execution: StrategyGraph.ExecutionControls
    /// The rule the `rules` engine plays.
    public var rule: String

    enum CodingKeys: String, CodingKey {
        case prompt, asset, channels, execution, rule
        case cadenceMs = "cadence_ms"
    }

    public init(prompt: String, asset: String, cadenceMs: Int64, channels: [PlannedChannel], execution: StrategyGraph.ExecutionControls,
                rule: String = RuleEngine.rules[0]) {
        self.rule = rule
        self.prompt = prompt
        self.asset = asset
        self.cadenceMs = cadenceMs
        self.channels = channels
        self.execution = execution
    }
}

/// A channel a plan reads, with its options resolved (a missing lookback takes its default).
public struct PlannedChannel: Codable, Sendable, Equatable, Hashable, Comparable {
    public let source: String
    public let name: String
    public let interval: String?
    public let lookback: Int?
    /// `source.name` or `source.name.interval`: how the packet names the channel.
    public let key: String

    enum CodingKeys: String, CodingKey {
        case source, name, interval, lookback
    }

    public init(source: String, name: String, interval: String? = nil, lookback: Int? = nil) {
        self.source = source
        self.name = name
        self.interval = interval
        self.lookback = lookback
        key = [source, name, interval].compactMap { $0 }.joined(separator: ".")
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(source: try container.decode(String.self, forKey: .source), name: try container.decode(String.self, forKey: .name),
                  interval: try container.decodeIfPresent(String.self, forKey: .interval),
                  lookback: try container.decodeIfPresent(Int.self, forKey: .lookback))
    }

    public static func < (lhs: PlannedChannel, rhs: PlannedChannel) -> Bool { lhs.key < rhs.key }
}

extension StrategyGraph {
    /// Compiles the graph into read plans: for each Trading Prompt, its assets (the Asset blocks
    /// upstream, expanded against the universe: categories and Trending as market memory holds
    /// them, includes added, excludes removed, delisted dropped) and the channels of the Data
    /// Stream blocks upstream, merged (the same channel twice keeps the longer lookback).
    /// Plans come sorted by prompt and asset. An invalid graph throws its problems.
    public func readPlans(universe: any AssetUniverse) throws(GraphProblems) -> [ReadPlan] {
        try validate()
        var plans: [ReadPlan] = []
        for block in blocks.sorted(by: { $0.id < $1.id }) where block.kind == BlockKind.tradingPrompt.rawValue {
            var channels: [String: PlannedChannel] = [:]
            for data in dataBlocks(of: block.id) {
                for channel in data.channels ?? [] {
                    let lookback = DataChannels.takesLookback(channel.name)
                        ? channel.lookback ?? DataChannels.lookbackMax(channel.name, interval: channel.interval) : nil
                    let planned = PlannedChannel(source: data.source ?? "", name: channel.name, interval: channel.interval, lookback: lookback)
                    if let existing = channels[planned.key], (existing.lookback ?? 0) >= (lookback ?? 0) { continue }
                    channels[planned.key] = planned
                }
            }
            var symbols: [String] = []
            for asset in assetBlocks(of: block.id) {
                do {
                    symbols += try universe.select(category: asset.category, include: asset.include ?? [], exclude: asset.exclude ?? [])
                } catch {
                    let index = blocks.firstIndex { $0.id == asset.id } ?? 0
                    throw GraphProblems([GraphProblem(code: "asset.unknown_asset", pointer: "/blocks/\(index)/include", message: "\(error)")])
                }
            }
            let cadence = Cadence.milliseconds(block.cadence ?? "") ?? Cadence.millisecondsMin
            let sorted = channels.values.sorted()
            for symbol in Set(symbols).sorted() {
                plans.append(ReadPlan(prompt: block.id, asset: symbol, cadenceMs: cadence, channels: sorted, execution: block.execution!,
                                      rule: block.rule ?? RuleEngine.rules[0]))
            }
        }
        return plans
    }
}

extension StrategyGraph {
    /// Each Trading Prompt's cadence and the assets its Asset blocks name (their includes, else
    /// their categories), read without the universe: what the runtime records as skipped when the
    /// graph does not validate against the market at a minute.
    public var namedRuns: [(cadenceMs: Int64, assets: [String])] {
        blocks.sorted(by: { $0.id < $1.id }).filter { $0.kind == BlockKind.tradingPrompt.rawValue }.map { block in
            let named = assetBlocks(of: block.id).flatMap { asset in (asset.include ?? []).isEmpty ? [asset.category ?? "All"] : asset.include ?? [] }
            return (Cadence.milliseconds(block.cadence ?? "") ?? Cadence.millisecondsMin, Array(Set(named)).sorted())
        }
    }
}
