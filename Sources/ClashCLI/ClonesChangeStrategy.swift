import ArgumentParser
import Clash
import Foundation

struct ClonesChangeStrategy: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "change-strategy", abstract: "Replace a clone's strategy graph (its owner only; not while it races).")

    @OptionGroup var data: DataOptions
    @OptionGroup var writer: WriterOptions
    @OptionGroup var artifacts: ArtifactOptions
    @Argument(help: "The clone's id.") var id: String
    @Option(help: "The new strategy graph file (JSON).") var graph: String
    @Option(help: "The owner's address.") var owner: String

    func execute() throws {
        let strategy = try readGraph(graph)
        let ledger = try writer.open(data, artifacts: artifacts)
        defer { try? ledger.close() }
        let hash = try ledger.changeStrategy(id, owner: try address(owner), graph: strategy)
        Output.line("{\"clone_id\":\"\(id)\",\"strategy_hash\":\"\(hash)\"}")
    }
}
