import ArgumentParser
import Clash
import Foundation

struct ClonesCreate: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a clone from a graph file or from Basic choices; prints its id and strategy hash.",
        discussion: "Either --graph FILE, or --assets BTC,ETH and/or --category PATH with --prompt TEXT (Basic; with --sources it is Custom).")

    @OptionGroup var data: DataOptions
    @OptionGroup var writer: WriterOptions
    @OptionGroup var artifacts: ArtifactOptions
    @Option(help: "The creator's address (0x and 40 hex digits).") var owner: String
    @Option(help: "The public name (1 to 64 characters).") var name: String
    @Option(help: "The public tagline.") var tagline = ""
    @Option(help: "The avatar text (at most 16 characters).") var avatar = ""
    @Option(help: "The clone's id (default c-<n>).") var id: String?
    @Option(help: "A strategy graph file (JSON).") var graph: String?
    @Option(help: "Basic: individual assets, comma separated.") var assets = ""
    @Option(help: "Basic: an asset category, e.g. Crypto/Layer 1 or Trending.") var category: String?
    @Option(help: "Basic: the prompt text.") var prompt: String?
    @Option(help: "Basic: how often the clone decides per asset (1m to 24h).") var cadence = "5m"
    @Option(help: "Basic: risk preset low, medium or high.") var risk = "medium"
    @Option(help: "Custom: source presets, comma separated (price, derivatives, prediction, macro).") var sources: String?
    @Option(help: "The audition fee paid, in wei (default 0.01 ETH).") var auditionFeeWei = "10000000000000000"

    func execute() throws {
        guard let fee = Wei(decimal: auditionFeeWei) else { throw ValidationError("--audition-fee-wei \(auditionFeeWei) is not a whole number of wei") }
        let strategy = try ClonesCreate.strategy(graph: graph, assets: assets, category: category, prompt: prompt, cadence: cadence,
                                                 risk: risk, sources: sources)
        let ledger = try writer.open(data, artifacts: artifacts)
        defer { try? ledger.close() }
        let created = try ledger.createClone(id: id, owner: try address(owner), identity: .init(name: name, avatarText: avatar, tagline: tagline),
                                             graph: strategy, auditionFeeWei: fee)
        Output.json { json in
            json.beginObject()
            json.key("audition_fee_wei"); json.string(fee.description)
            json.key("clone_id"); json.string(created.cloneId)
            json.key("granularity"); json.string(strategy.granularity.rawValue)
            json.key("strategy_hash"); json.string(created.strategyHash)
            json.endObject()
        }
    }

    /// The graph of a file, or generated from Basic (or, with sources, Custom) choices.
    static func strategy(graph: String?, assets: String, category: String?, prompt: String?, cadence: String, risk: String,
                         sources: String?) throws -> StrategyGraph {
        if let graph {
            guard prompt == nil, category == nil, assets.isEmpty else {
                throw ValidationError("give either --graph or the Basic choices (--assets/--category, --prompt), not both")
            }
            return try readGraph(graph)
        }
        guard let prompt else { throw ValidationError("give --graph FILE, or --prompt TEXT with --assets or --category") }
        let choices = StrategyChoices(assets: AssetsList.symbols(assets), category: category, prompt: prompt, cadence: cadence, risk: risk,
                                      sources: sources.map(AssetsList.symbols))
        return choices.generatedGraph
    }
}
