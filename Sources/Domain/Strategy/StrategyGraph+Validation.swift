import ClashCore

extension StrategyGraph {
    /// The kinds of blocks, their ports (name → type) and their direction.
    enum BlockKind: String {
        case dataStream = "data_stream", asset, tradingPrompt = "trading_prompt", tradingClone = "trading_clone"

        var outputs: [String: String] {
            switch self {
            case .dataStream: ["data": "data"]
            case .asset: ["assets": "assets"]
            case .tradingPrompt: ["decisions": "decisions"]
            case .tradingClone: [:]
            }
        }

        var inputs: [String: String] {
            switch self {
            case .dataStream, .asset: [:]
            case .tradingPrompt: ["data": "data", "assets": "assets"]
            case .tradingClone: ["decisions": "decisions"]
            }
        }
    }

    public static let promptCharactersMax = 8_000
    public static let blocksMax = 64
    public static let actions: Set<String> = ["open_long", "open_short", "close", "hold"]

    /// Throws every problem at once, or returns when there is none. With a universe, asset
    /// selections and leverage are checked against market memory too.
    public func validate(universe: (any AssetUniverse)? = nil) throws(GraphProblems) {
        let found = problems(universe: universe)
        if !found.isEmpty { throw GraphProblems(found) }
    }

    /// Every problem of the graph, in document order.
    public func problems(universe: (any AssetUniverse)? = nil) -> [GraphProblem] {
        var problems: [GraphProblem] = []
        func add(_ code: String, _ pointer: String, _ message: String) {
            problems.append(GraphProblem(code: code, pointer: pointer, message: message))
        }
        if graphVersion != Self.documentVersion {
            add("graph.version", "/graph_version", "graph version \(graphVersion) is not one this build reads (\(Self.documentVersion))")
        }
        if blocks.count > Self.blocksMax { add("graph.too_many_blocks", "/blocks", "at most \(Self.blocksMax) blocks") }
        var kinds: [String: BlockKind] = [:]
        for (index, block) in blocks.enumerated() {
            let at = "/blocks/\(index)"
            if block.id.isEmpty || block.id.count > 64 { add("block.bad_id", at + "/id", "a block id is 1 to 64 characters") }
            if kinds[block.id] != nil {
                add("block.duplicate_id", at + "/id", "another block has the id \(block.id.debugDescription); give each block its own")
            }
            guard let kind = BlockKind(rawValue: block.kind) else {
                add("block.unknown_kind", at + "/kind", "\(block.kind.debugDescription) is not data_stream, asset, trading_prompt or trading_clone")
                continue
            }
            if kinds[block.id] == nil { kinds[block.id] = kind }
            switch kind {
            case .dataStream: checkDataStream(block, at, add)
            case .asset: checkAsset(block, at, universe, add)
            case .tradingPrompt: checkPrompt(block, at, add)
            case .tradingClone: break
            }
        }
        checkEdges(kinds, add)
        checkShape(kinds, universe, add)
        for id in layout.keys.sorted() {
            guard let frame = layout[id] else { continue }
            if kinds[id] == nil { add("layout.unknown_block", "/layout/\(id)", "the layout places a block the graph does not have") }
            if frame.width <= 0 || frame.height <= 0 { add("layout.bad_frame", "/layout/\(id)", "width and height must be above 0") }
        }
        if granularity != .power {
            if let choices {
                let generated = choices.graph(granularity)
                if generated.blocks != blocks || generated.edges != edges {
                    add("graph.choices_mismatch", "/blocks",
                        "a \(granularity.rawValue) graph must be the one its choices generate; edit the choices, or convert it to power to edit blocks")
                }
                if RiskPreset.controls(choices.risk) == nil { add("choices.unknown_risk", "/choices/risk", "risk is low, medium or high") }
                for (index, name) in (choices.sources ?? []).enumerated() where SourcePreset.channels(name) == nil {
                    add("choices.unknown_source", "/choices/sources/\(index)", "\(name.debugDescription) is not one of \(SourcePreset.names.joined(separator: ", "))")
                }
            } else {
                add("graph.no_choices", "/choices", "a \(granularity.rawValue) graph keeps the choices it was made from")
            }
        }
        return problems
    }

    private func checkDataStream(_ block: Block, _ at: String, _ add: (String, String, String) -> Void) {
        guard let source = block.source, let known = DataChannels.bySource[source] else {
            add("data.unknown_source", at + "/source", "\((block.source ?? "nothing").debugDescription) is not hyperliquid, polymarket or defillama")
            return
        }
        let channels = block.channels ?? []
        if channels.isEmpty { add("data.no_channels", at + "/channels", "a Data Stream block reads at least one channel") }
        var seen = Set<String>()
        for (index, channel) in channels.enumerated() {
            let here = at + "/channels/\(index)"
            guard known.contains(channel.name) else {
                add("data.unknown_channel", here + "/name", "\(source) has no channel \(channel.name.debugDescription); it has \(known.joined(separator: ", "))")
                continue
            }
            if DataChannels.takesInterval(channel.name) {
                guard let interval = channel.interval, DataChannels.candleIntervals[interval] != nil else {
                    add("data.unknown_interval", here + "/interval", "candles need an interval: 1m, 5m, 15m, 1h or 4h")
                    continue
                }
            } else if channel.interval != nil {
                add("data.unexpected_option", here + "/interval", "only candles take an interval")
            }
            if let lookback = channel.lookback {
                let most = DataChannels.lookbackMax(channel.name, interval: channel.interval)
                if !DataChannels.takesLookback(channel.name) {
                    add("data.unexpected_option", here + "/lookback", "\(channel.name) takes no lookback")
                } else if lookback < 1 || lookback > most {
                    add("data.lookback_range", here + "/lookback", "lookback must be 1 to \(most) for \(channel.name) \(channel.interval ?? "")")
                }
            }
            let key = "\(channel.name).\(channel.interval ?? "")"
            if !seen.insert(key).inserted { add("data.duplicate_channel", here, "the block reads \(channel.name) \(channel.interval ?? "") twice") }
        }
    }

    private func checkAsset(_ block: Block, _ at: String, _ universe: (any AssetUniverse)?, _ add: (String, String, String) -> Void) {
        if let category = block.category, !AssetCategory.selectable.contains(category) {
            add("asset.unknown_category", at + "/category", "\(category.debugDescription) is not a category; choose one of \(AssetCategory.selectable.joined(separator: ", "))")
            return
        }
        if block.category == nil && (block.include ?? []).isEmpty {
            add("asset.empty_selection", at, "an Asset block needs a category or at least one included asset")
            return
        }
        guard let universe else { return }
        do {
            if try universe.select(category: block.category, include: block.include ?? [], exclude: block.exclude ?? []).isEmpty {
                add("asset.empty_selection", at, "the selection picks no listed asset in market memory")
            }
        } catch {
            add("asset.unknown_asset", at + "/include", "\(error)")
        }
    }

    private func checkPrompt(_ block: Block, _ at: String, _ add: (String, String, String) -> Void) {
        let text = block.prompt ?? ""
        if text.allSatisfy(\.isWhitespace) { add("prompt.empty", at + "/prompt", "a Trading Prompt needs prompt text") }
        if text.count > Self.promptCharactersMax {
            add("prompt.too_long", at + "/prompt", "prompt text is at most \(Self.promptCharactersMax) characters")
        }
        if let cadence = block.cadence, let milliseconds = Cadence.milliseconds(cadence) {
            if milliseconds < Cadence.millisecondsMin || milliseconds > Cadence.millisecondsMax {
                add("prompt.cadence_range", at + "/cadence", "cadence \(cadence) is outside 1 minute to 24 hours")
            }
        } else {
            add("prompt.bad_cadence", at + "/cadence", "cadence is a number and s, m or h, e.g. 5m or 1h")
        }
        if let rule = block.rule, !RuleEngine.rules.contains(rule) {
            add("prompt.unknown_rule", at + "/rule", "\(rule.debugDescription) is not one of \(RuleEngine.rules.joined(separator: ", "))")
        }
        guard let controls = block.execution else {
            add("prompt.no_execution", at + "/execution", "a Trading Prompt needs execution controls")
            return
        }
        let limits: [(String, Int64)] = [
            ("max_leverage", controls.maxLeverage), ("max_order_notional_usd", controls.maxOrderNotionalUsd),
            ("max_account_notional_usd", controls.maxAccountNotionalUsd), ("max_open_positions", controls.maxOpenPositions),
        ]
        for (name, value) in limits where value <= 0 {
            add("execution.limit_not_positive", at + "/execution/\(name)", "\(name) must be above 0")
        }
        if controls.maxOrderNotionalUsd > controls.maxAccountNotionalUsd {
            add("execution.order_above_account", at + "/execution/max_order_notional_usd", "one order may not exceed the account's notional limit")
        }
        if controls.allowedActions.isEmpty { add("execution.no_actions", at + "/execution/allowed_actions", "allow at least one action") }
        for (index, action) in controls.allowedActions.enumerated() where !Self.actions.contains(action) {
            add("execution.unknown_action", at + "/execution/allowed_actions/\(index)", "\(action.debugDescription) is not open_long, open_short, close or hold")
        }
    }

    private func checkEdges(_ kinds: [String: BlockKind], _ add: (String, String, String) -> Void) {
        var seen = Set<Edge>()
        for (index, edge) in edges.enumerated() {
            let at = "/edges/\(index)"
            guard let fromKind = kinds[edge.from.block] else {
                add("edge.dangling", at + "/from/block", "no block has the id \(edge.from.block.debugDescription)")
                continue
            }
            guard let toKind = kinds[edge.to.block] else {
                add("edge.dangling", at + "/to/block", "no block has the id \(edge.to.block.debugDescription)")
                continue
            }
            guard let fromType = fromKind.outputs[edge.from.port] else {
                add("edge.unknown_port", at + "/from/port", "a \(fromKind.rawValue) block has no output \(edge.from.port.debugDescription)")
                continue
            }
            guard let toType = toKind.inputs[edge.to.port] else {
                add("edge.unknown_port", at + "/to/port", "a \(toKind.rawValue) block has no input \(edge.to.port.debugDescription)")
                continue
            }
            if fromType != toType { add("edge.type_mismatch", at, "\(fromType) cannot feed an input of \(toType)") }
            if !seen.insert(edge).inserted { add("edge.duplicate", at, "the same edge is drawn twice") }
        }
    }

    private func checkShape(_ kinds: [String: BlockKind], _ universe: (any AssetUniverse)?, _ add: (String, String, String) -> Void) {
        // A cycle through any edges between known blocks, whatever their ports.
        var next: [String: [String]] = [:]
        for edge in edges where kinds[edge.from.block] != nil && kinds[edge.to.block] != nil {
            next[edge.from.block, default: []].append(edge.to.block)
        }
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        func visit(_ id: String) -> Bool {
            if state[id] == 1 { return true }
            if state[id] == 2 { return false }
            state[id] = 1
            for target in next[id] ?? [] where visit(target) { return true }
            state[id] = 2
            return false
        }
        if kinds.keys.sorted().contains(where: visit) { add("graph.cycle", "/edges", "the edges form a cycle; a strategy flows from data to the clone") }

        let clones = blocks.indices.filter { blocks[$0].kind == BlockKind.tradingClone.rawValue }
        if clones.isEmpty { add("graph.no_clone", "/blocks", "a graph ends in one Trading Clone block") }
        if clones.count > 1 { add("graph.many_clones", "/blocks/\(clones[1])", "a graph has exactly one Trading Clone block") }
        for (index, block) in blocks.enumerated() where block.kind == BlockKind.tradingPrompt.rawValue {
            let upstream = Set(edges.filter { $0.to.block == block.id }.map(\.from.block))
            if !upstream.contains(where: { kinds[$0] == .asset }) {
                add("prompt.no_assets", "/blocks/\(index)", "prompt \(block.id) has no Asset block upstream")
            }
            if !upstream.contains(where: { kinds[$0] == .dataStream }) {
                add("prompt.no_data", "/blocks/\(index)", "prompt \(block.id) has no Data Stream block upstream")
            }
            if !edges.contains(where: { $0.from.block == block.id && kinds[$0.to.block] == .tradingClone }) {
                add("prompt.unconnected", "/blocks/\(index)", "prompt \(block.id) does not feed the Trading Clone")
            }
            if let universe, let controls = block.execution {
                for asset in assetBlocks(of: block.id) {
                    guard let symbols = try? universe.select(category: asset.category, include: asset.include ?? [], exclude: asset.exclude ?? []) else { continue }
                    for symbol in symbols {
                        if let most = universe.maxLeverage(symbol), controls.maxLeverage > most {
                            add("execution.leverage_above_asset", "/blocks/\(index)/execution/max_leverage",
                                "max leverage \(controls.maxLeverage) is above \(symbol)'s maximum of \(most)")
                        }
                    }
                }
            }
        }
        if let clone = clones.first, !edges.contains(where: { $0.to.block == blocks[clone].id }) {
            add("graph.no_prompt", "/blocks/\(clone)", "the Trading Clone is fed by no Trading Prompt")
        }
    }

    /// The Asset blocks feeding a prompt.
    func assetBlocks(of promptId: String) -> [Block] {
        let upstream = Set(edges.filter { $0.to.block == promptId && $0.to.port == "assets" }.map(\.from.block))
        return blocks.filter { $0.kind == BlockKind.asset.rawValue && upstream.contains($0.id) }
    }

    /// The Data Stream blocks feeding a prompt.
    func dataBlocks(of promptId: String) -> [Block] {
        let upstream = Set(edges.filter { $0.to.block == promptId && $0.to.port == "data" }.map(\.from.block))
        return blocks.filter { $0.kind == BlockKind.dataStream.rawValue && upstream.contains($0.id) }
    }
}
