import ArgumentParser
import Transparency
import Foundation
import LedgerLog

struct LogSignHead: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-head",
        abstract: "Sign the tree head (size, root, last event's timestamp) with an Ed25519 key; print it.")

    @OptionGroup var data: DataOptions
    @Option(help: "The key file from `clash log keygen`.") var key: String
    @Option(help: "The tree of the first N events (default: the whole log).") var size: UInt64?

    func execute() throws {
        let signingKey = try SigningKeyFile.load(key)
        let (tree, log) = try data.tree()
        let size = try treeSize(size, tree)
        var json = CanonicalJSONWriter()
        try SignedTreeHead(head: try tree.head(size: size, log: log), key: signingKey).write(to: &json)
        Output.line(json.bytes)
    }
}
