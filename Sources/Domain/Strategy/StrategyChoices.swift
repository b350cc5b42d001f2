/// The few choices a Basic or Custom strategy is made of; the graph is generated from them.
///
/// - Basic: assets or a category, the prompt text, a cadence, a risk preset; every source preset.
/// - Custom: the same with the source presets chosen (`sources`), individual assets in `assets`.
public struct StrategyChoices: Codable, Sendable, Equatable {
    /// Individual assets (added to the category's selection, or alone without a category).
    public var assets: [String]
    public var category: String?
    public var prompt: String
    public var cadence: String
    /// low, medium or high: the execution controls (`RiskPreset`).
    public var risk: String
    /// Source presets (`SourcePreset`); nil for Basic, which reads them all.
    public var sources: [String]?

    public init(assets: [String] = [], category: String? = nil, prompt: String, cadence: String = "5m", risk: String = "medium",
                sources: [String]? = nil) {
        self.assets = assets
        self.category = category
        self.prompt = prompt
        self.cadence = cadence
        self.risk = risk
        self.sources = sources
    }
}

/// Execution controls by risk profile (rule v2: high allows 20× leverage and 5× the starting 10,000
/// USD, so its leverage matters; v1's high allowed 10× but capped the account at 1×). USD in whole
/// dollars. A strategy keeps the numbers it was made with.
public enum RiskPreset {
    public static let names = ["low", "medium", "high"]

    public static func controls(_ name: String) -> StrategyGraph.ExecutionControls? {
        let actions = ["close", "hold", "open_long", "open_short"]
        switch name {
        case "low": return .init(maxLeverage: 2, maxOrderNotionalUsd: 500, maxAccountNotionalUsd: 2_000, maxOpenPositions: 2, allowedActions: actions)
        case "medium": return .init(maxLeverage: 5, maxOrderNotionalUsd: 1_500, maxAccountNotionalUsd: 6_000, maxOpenPositions: 4, allowedActions: actions)
        case "high": return .init(maxLeverage: 20, maxOrderNotionalUsd: 50_000, maxAccountNotionalUsd: 150_000, maxOpenPositions: 6, allowedActions: actions)
        default: return nil
        }
    }
}

/// Groups of channels a Custom strategy picks by name (rule v1).
public enum SourcePreset {
    public static let names = ["price", "derivatives", "prediction", "macro"]

    /// The channels of a preset, with their source.
    public static func channels(_ name: String) -> (source: String, channels: [StrategyGraph.Channel])? {
        switch name {
        case "price": return ("hyperliquid", [.init(name: "mids"), .init(name: "candles", interval: "5m", lookback: 24),
                                              .init(name: "candles", interval: "1h", lookback: 24)])
        case "derivatives": return ("hyperliquid", [.init(name: "funding"), .init(name: "liquidity"), .init(name: "positioning"),
                                                    .init(name: "volatility")])
        case "prediction": return ("polymarket", [.init(name: "immediate"), .init(name: "later"), .init(name: "discovery", lookback: 3)])
        case "macro": return ("defillama", [.init(name: "capital_base"), .init(name: "flows"), .init(name: "throughput")])
        default: return nil
        }
    }
}

extension StrategyChoices {
    /// The graph these choices make: Basic without source presets chosen, Custom with them.
    public var generatedGraph: StrategyGraph { graph(sources == nil ? .basic : .custom) }

    /// The source presets a strategy reads: the chosen ones (each once, in order), or every one for Basic.
    public var sourcePresets: [String] {
        guard let sources else { return SourcePreset.names }
        var seen = Set<String>()
        return sources.filter { seen.insert($0).inserted }
    }

    /// The graph these choices generate, at `granularity` (basic or custom keep the choices; power
    /// drops them, leaving every block editable).
    public func graph(_ granularity: Granularity) -> StrategyGraph {
        var channelsBySource: [(source: String, channels: [StrategyGraph.Channel])] = []
        for preset in sourcePresets {
            guard let (source, channels) = SourcePreset.channels(preset) else { continue }
            if let index = channelsBySource.firstIndex(where: { $0.source == source }) {
                channelsBySource[index].channels += channels
            } else {
                channelsBySource.append((source, channels))
            }
        }
        var blocks: [StrategyGraph.Block] = []
        var edges: [StrategyGraph.Edge] = []
        var layout: [String: StrategyGraph.Frame] = [:]
        for (row, entry) in channelsBySource.enumerated() {
            let id = "data-\(entry.source)"
            blocks.append(.init(id: id, kind: "data_stream", source: entry.source, channels: entry.channels))
            edges.append(.init(from: .init(id, "data"), to: .init("prompt", "data")))
            layout[id] = .init(x: 0, y: Int64(row) * 160, width: 240, height: 120)
        }
        blocks.append(.init(id: "assets", kind: "asset", category: category, include: assets, exclude: []))
        edges.append(.init(from: .init("assets", "assets"), to: .init("prompt", "assets")))
        layout["assets"] = .init(x: 0, y: Int64(channelsBySource.count) * 160, width: 240, height: 120)
        blocks.append(.init(id: "prompt", kind: "trading_prompt", prompt: prompt, cadence: cadence,
                            execution: RiskPreset.controls(risk)))
        layout["prompt"] = .init(x: 320, y: 0, width: 280, height: 200)
        blocks.append(.init(id: "clone", kind: "trading_clone"))
        edges.append(.init(from: .init("prompt", "decisions"), to: .init("clone", "decisions")))
        layout["clone"] = .init(x: 680, y: 0, width: 200, height: 120)
        return StrategyGraph(granularity: granularity, choices: granularity == .power ? nil : self, blocks: blocks, edges: edges,
                             layout: layout)
    }
}

extension StrategyGraph {
    /// Basic from a few choices, with every source preset.
    public static func basic(assets: [String] = [], category: String? = nil, prompt: String, cadence: String = "5m",
                             risk: String = "medium") -> StrategyGraph {
        StrategyChoices(assets: assets, category: category, prompt: prompt, cadence: cadence, risk: risk).graph(.basic)
    }

    /// The same strategy one granularity up: Basic becomes Custom (its source presets named),
    /// Custom becomes Power (the choices dropped, every block editable). Power stays Power.
    /// The read plans never change.
    public func convertedUp() -> StrategyGraph {
        guard let choices else { return self }
        switch granularity {
        case .basic:
            var custom = choices
            custom.sources = choices.sourcePresets
            return custom.graph(.custom)
        case .custom, .power:
            var graph = self
            graph.granularity = .power
            graph.choices = nil
            return graph
        }
    }
}
