import Domain
import Foundation
import LedgerLog
import Runtime

/// What a clone did and would do, as every front end shows it: its paper account in a competition,
/// its runs event by event, and the pipeline's preview of its next runs. Each reads the log alone
/// (a reader beside a writer sees its head); each answer is canonical JSON.
public enum CloneActivity {
    /// A clone's paper account in a competition: cash, positions marked at the newest mids, PnL,
    /// fees, funding, return, drawdown — folded from the log with the runtime's own rule.
    public static func account(_ cloneId: String, competition: String, log: any LogReading) throws -> [UInt8] {
        let account = try log.paperAccount(cloneId: cloneId, competitionId: competition)
        let pipeline = try ContextPipeline(log: log)
        try pipeline.advanceToNewest()
        var marks: [String: Int64] = [:]
        for asset in account.positions.keys { marks[asset] = try pipeline.view(asset).latest?.price?.midE8 }
        var json = CanonicalJSONWriter()
        json.beginObject()
        json.key("cash_e6"); json.int(account.cashE6)
        json.key("clone_id"); json.string(cloneId)
        json.key("competition"); json.string(competition)
        json.key("equity_e6"); json.int(account.equityE6(marks: marks))
        json.key("fees_e6"); json.int(account.feesE6)
        json.key("free_margin_e6"); json.int(account.equityE6(marks: marks) - account.marginUsedE6)
        json.key("funding_e6"); json.int(account.fundingE6)
        json.key("margin_used_e6"); json.int(account.marginUsedE6)
        json.key("marked_at_ms"); json.int(pipeline.asOfMs)
        json.key("max_drawdown_bp"); json.int(account.maxDrawdownBp)
        json.key("max_drawdown_e6"); json.int(account.maxDrawdownE6)
        json.key("peak_equity_e6"); json.int(account.peakEquityE6)
        json.key("positions")
        json.beginArray()
        for asset in account.positions.keys.sorted() {
            let position = account.positions[asset]!
            json.beginObject()
            json.key("asset"); json.string(asset)
            json.key("entry_px_e8"); json.int(position.entryPxE8)
            json.key("leverage"); json.int(position.leverage)
            json.key("mark_px_e8")
            if let mark = marks[asset] { json.int(mark) } else { json.null() }
            json.key("size_e8"); json.int(position.sizeE8)
            json.key("unrealized_e6"); json.int(position.unrealizedE6(markE8: marks[asset] ?? position.entryPxE8))
            json.endObject()
        }
        json.endArray()
        json.key("realized_e6"); json.int(account.realizedE6)
        json.key("return_bp"); json.int(account.returnBp(marks: marks))
        json.key("starting_equity_e6"); json.int(account.startingEquityE6)
        json.endObject()
        return json.bytes
    }

    /// A clone's runs in order, an event each (due, context, decision, gates, order, fill, and the
    /// account's funding and liquidations), as the log holds them; `asset`: only that asset's.
    public static func trail(_ cloneId: String, competition: String, asset: String?, log: any LogReading) throws -> [[UInt8]] {
        let clone = cloneId
        let records = (try log.read(stream: Streams.run(clone: clone, competition: competition)) + log.read(stream: Streams.account(clone: clone, competition: competition)))
            .sorted { $0.sequence < $1.sequence }
        var runsOfAsset = Set<String>()
        var lines: [[UInt8]] = []
        for record in records {
            if let asset {
                switch try EventCatalog.decode(record) {
                case let due as RunDue where due.asset == asset: runsOfAsset.insert(due.runId)
                case let funding as FundingPaid where funding.asset == asset: break
                case let liquidated as Liquidated where liquidated.asset == asset: break
                default:
                    guard let correlation = record.correlationId, runsOfAsset.contains(correlation) else { continue }
                }
            }
            var writer = CanonicalJSONWriter()
            RecordCodec.encode(record, into: &writer)
            lines.append(writer.bytes)
        }
        return lines
    }

    /// Per asset: the read plan, the context packet (hash, size, stale channels, the packet itself)
    /// and the prompt hash of `cloneId`'s next runs at `at` (default: the newest market time); the
    /// prompt's text only when `audience` may see the strategy (its owner, an operator;
    /// `clone.not_owner` for an address asking as owner that is not). The plans show the strategy's
    /// shape: the server answers this to the owner and operators only.
    public static func preview(_ cloneId: String, at: Int64?, asset: String?, audience: CloneAudience, log: any LogReading,
                               artifacts: any ArtifactStore) throws -> [[UInt8]] {
        let clone = cloneId
        let state = try log.cloneState(clone)
        guard state.exists else { throw DomainError("clone.unknown", "no clone has id \(clone); `clash clones list` shows the clones") }
        _ = try state.showsStrategy(to: audience)
        let graph = try StrategyGraph.decode(try artifacts.get(state.strategyHash))
        let pipeline = try ContextPipeline(log: log)
        if let at { try pipeline.advance(to: at) } else { try pipeline.advanceToNewest() }
        let time = pipeline.asOfMs
        let plans = try pipeline.plans(graph).filter { asset == nil || $0.asset == asset }
        if let asset, plans.isEmpty {
            throw DomainError("run.asset_not_traded", "clone \(clone)'s strategy selects no asset \(asset) as of \(time)")
        }
        let prompts = Dictionary(graph.blocks.map { ($0.id, $0.prompt ?? "") }, uniquingKeysWith: { first, _ in first })
        var lines: [[UInt8]] = []
        for plan in plans {
            let packet = try pipeline.packet(plan)
            let prompt = PromptAssembly.assemble(strategyPrompt: prompts[plan.prompt] ?? "", packet: packet)
            var json = CanonicalJSONWriter()
            json.beginObject()
            json.key("as_of_ms"); json.int(time)
            json.key("asset"); json.string(plan.asset)
            json.key("packet"); json.raw(packet.bytes)
            json.key("packet_bytes"); json.int(packet.bytes.count)
            json.key("packet_hash"); json.string(packet.hash)
            json.key("plan"); json.raw(try StrategyGraph.canonical(plan))
            if audience != .public { json.key("prompt"); json.string(String(decoding: prompt.bytes, as: UTF8.self)) }
            json.key("prompt_hash"); json.string(prompt.hash)
            json.key("stale_channels"); json.beginArray()
            for key in packet.staleChannels { json.string(key) }
            json.endArray()
            json.key("through_sequence"); json.uint(pipeline.throughSequence)
            json.endObject()
            lines.append(json.bytes)
        }
        return lines
    }
}
