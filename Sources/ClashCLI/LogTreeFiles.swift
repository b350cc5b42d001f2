import ArgumentParser
import Transparency
import Foundation
import LedgerLog

extension DataOptions {
    /// The log's Merkle tree, its sidecar (`tree/` in the data directory) caught up to the head.
    func tree() throws -> (tree: LogTree, log: any LogReading) {
        let log = try existingLog()
        let tree = try LogTree(log: log, directory: directory + "/tree")
        if let reason = tree.discarded { Output.progress("tree sidecar rebuilt: \(reason)") }
        try tree.catchUp(through: log.head.sequence)
        return (tree, log)
    }
}

/// `--size N`: a tree size, by default the whole log.
func treeSize(_ requested: UInt64?, _ tree: LogTree) throws -> UInt64 {
    guard let requested else { return tree.size }
    guard requested <= tree.size else { throw TreeError.badSize(requested: requested, available: tree.size) }
    return requested
}

/// A check's problems in its JSON (none: no member).
func writeProblems(_ problems: [String], to json: inout CanonicalJSONWriter) {
    guard !problems.isEmpty else { return }
    json.key("problems"); json.beginArray(); problems.forEach { json.string($0) }; json.endArray()
}

/// A check with problems fails with exit 1, naming the file checked.
func failIfAny(_ problems: [String], in file: String) throws {
    guard !problems.isEmpty else { return }
    Output.error("\(file): " + problems.joined(separator: "; "))
    throw ExitCode(1)
}

func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { throw TreeError.badFile(path: path, reason: "cannot read the file") }
    return [UInt8](data)
}
