import ArgumentParser
import Transparency
import Foundation
import LedgerLog

struct LogRoot: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "root",
        abstract: "Print the root of the log's Merkle tree (RFC 9162): {\"tree_size\", \"root_hash\"}.")

    @OptionGroup var data: DataOptions
    @Option(help: "The tree of the first N events (default: the whole log).") var size: UInt64?

    func execute() throws {
        let (tree, _) = try data.tree()
        let size = try treeSize(size, tree)
        Output.line(try tree.rootJSON(size: size))
    }
}
