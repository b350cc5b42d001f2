import ArgumentParser
import Transparency
import Foundation
import LedgerLog

struct LogProve: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Print an inclusion proof (--seq S) or a consistency proof (--from-size M) against the tree of --size N events.",
        discussion: "Proofs are RFC 9162 §2.1.3 and §2.1.4; check one anywhere with `clash log check-proof FILE`.")

    @OptionGroup var data: DataOptions
    @Option(help: "The event whose inclusion to prove.") var seq: UInt64?
    @Option(name: .customLong("from-size"), help: "The earlier tree size to prove consistent with --size.") var fromSize: UInt64?
    @Option(help: "The tree of the first N events (default: the whole log).") var size: UInt64?
    @Flag(help: "Read one request per line from standard input (`seq S [size N]` or `from-size M [size N]`); print one proof per line.")
    var batch = false

    func validate() throws {
        guard batch || (seq == nil) != (fromSize == nil) else { throw ValidationError("give exactly one of --seq and --from-size, or --batch") }
    }

    func execute() throws {
        let (tree, _) = try data.tree()
        guard batch else {
            Output.line(try Self.proof(tree, seq: seq, fromSize: fromSize, size: size))
            return
        }
        var number = 0
        var out: [UInt8] = []
        while let line = readLine() {
            number += 1
            let words = line.split(separator: " ").map(String.init)
            var fields: [String: UInt64] = [:]
            for pair in stride(from: 0, to: words.count - 1, by: 2) { fields[words[pair]] = UInt64(words[pair + 1]) }
            guard words.count % 2 == 0, fields.count == words.count / 2, Set(fields.keys).isSubset(of: ["seq", "from-size", "size"]),
                  (fields["seq"] == nil) != (fields["from-size"] == nil) else {
                throw TreeError.badFile(path: "standard input line \(number)", reason: "expected `seq S [size N]` or `from-size M [size N]`, got `\(line)`")
            }
            out += try Self.proof(tree, seq: fields["seq"], fromSize: fields["from-size"], size: fields["size"])
            out.append(0x0A)
            if out.count > 1 << 20 {
                Output.write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        Output.write(out)
    }

    static func proof(_ tree: LogTree, seq: UInt64?, fromSize: UInt64?, size: UInt64?) throws -> [UInt8] {
        let size = try treeSize(size, tree)
        var json = CanonicalJSONWriter()
        if let seq {
            try InclusionProof(tree: tree, sequence: seq, size: size).write(to: &json)
        } else if let fromSize {
            guard fromSize <= size else { throw TreeError.badSize(requested: fromSize, available: size) }
            try ConsistencyProof(tree: tree, from: fromSize, to: size).write(to: &json)
        }
        return json.bytes
    }
}
