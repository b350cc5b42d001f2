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
        let audience = try audience.asking(owner: owner, clone: clone)
        for line in try CloneActivity.preview(clone, at: at, asset: asset, audience: audience, log: try data.existingLog(),
                                              artifacts: try artifacts.store(data)) {
            Output.line(line)
        }
    }
}
