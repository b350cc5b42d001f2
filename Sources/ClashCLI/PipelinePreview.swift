import ArgumentParser
import Clash
import Foundation

struct PipelinePreview: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Per asset: the read plan, the context packet (hash, size, stale channels, the packet itself) and the prompt hash.",
        discussion: """
            The market is the log's longest prefix whose market events are stamped at or before --at (default: the newest \
            market event's time), folded in memory: nothing in the data directory is written. The prompt text is printed only with --as owner and the \
            creator's --owner address, or --as operator.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var artifacts: ArtifactOptions
    @Option(help: "The clone's id.") var clone: String
    @Option(help: "The time in ms (default: the newest market event's time).") var at: Int64?
    @Option(help: "Only this asset.") var asset: String?
    @Option(name: .customLong("as"), help: "public (default), owner (needs --owner) or operator.") var audience: ClonesShow.Audience = .public
    @Option(help: "With --as owner: the address asking.") var owner: String?

    func execute() throws {
        let log = try data.existingLog()
        let state = try log.cloneState(clone)
        guard state.exists else { throw DomainError("clone.unknown", "no clone has id \(clone); `clash clones list` shows the clones") }
        _ = try state.showsStrategy(to: try audience.asking(owner: owner, clone: clone))
        let graph = try StrategyGraph.decode(try artifacts.store(data).get(state.strategyHash))
        let pipeline = try ContextPipeline(log: log)
        if let at { try pipeline.advance(to: at) } else { try pipeline.advanceToNewest() }
        let time = pipeline.asOfMs
        let plans = try pipeline.plans(graph).filter { asset == nil || $0.asset == asset }
        if let asset, plans.isEmpty {
            throw ValidationError("clone \(clone)'s strategy selects no asset \(asset) as of \(time)")
        }
        let prompts = Dictionary(graph.blocks.map { ($0.id, $0.prompt ?? "") }, uniquingKeysWith: { first, _ in first })
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
            Output.line(json.bytes)
        }
    }
}
