import ArgumentParser
import Transparency
import Foundation
import LedgerLog

extension DataOptions {
    /// The log's Merkle tree, its sidecar (`tree/` in the data directory) caught up to the head.
    func tree() throws -> (tree: LogTree, log: LogReader) {
        let log = try existingLog()
        let tree = try LogTree(log: log, directory: directory + "/tree")
        if let reason = tree.discarded { Output.progress("tree sidecar rebuilt: \(reason)") }
        try tree.catchUp(through: log.head.sequence)
        return (tree, log)
    }
}

/// `--size N`: a tree size, by default the whole log.
private func treeSize(_ requested: UInt64?, _ tree: LogTree) throws -> UInt64 {
    guard let requested else { return tree.size }
    guard requested <= tree.size else { throw TreeError.badSize(requested: requested, available: tree.size) }
    return requested
}

struct LogRoot: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "root",
        abstract: "Print the root of the log's Merkle tree (RFC 9162): {\"tree_size\", \"root_hash\"}.")

    @OptionGroup var data: DataOptions
    @Option(help: "The tree of the first N events (default: the whole log).") var size: UInt64?

    func execute() throws {
        let (tree, _) = try data.tree()
        let size = try treeSize(size, tree)
        let root = try tree.root(size: size)
        Output.json { json in
            json.beginObject()
            json.key("root_hash"); json.string(root.hex)
            json.key("tree_size"); json.uint(size)
            json.endObject()
        }
    }
}

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

struct LogCheckProof: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-proof",
        abstract: "Verify an inclusion or consistency proof offline, with no log. Exits 0 valid, 1 invalid.",
        discussion: "With --head, the proof must also be against that signed tree head (its size and root, its signature valid).")

    @Argument(help: "The proof, as `clash log prove` prints it.") var file: String
    @Option(help: "A signed tree head (from `clash log sign-head`) the proof must end at.") var head: String?

    func execute() throws {
        let proof = try TreeProof.parse(try readFile(file), source: file)
        var problems: [String] = []
        if !proof.isValid { problems.append("the proof does not verify (RFC 9162 §" + (proofKind(proof) == "inclusion" ? "2.1.3.2)" : "2.1.4.2)")) }
        if let head {
            let signed = try SignedTreeHead.parse(try readFile(head), source: head)
            if !signed.isValid { problems.append("the tree head's signature is not valid") }
            let (size, root) = proofEnd(proof)
            if size != signed.head.treeSize || root != signed.head.rootHash {
                problems.append("the proof is against tree size \(size) root \(root.hex), the signed head is size \(signed.head.treeSize) root \(signed.head.rootHash.hex)")
            }
        }
        Output.json { json in
            json.beginObject()
            json.key("kind"); json.string(proofKind(proof))
            json.key("valid"); json.bool(problems.isEmpty)
            writeProblems(problems, to: &json)
            json.endObject()
        }
        try failIfAny(problems, in: file)
    }

    private func proofKind(_ proof: TreeProof) -> String {
        if case .inclusion = proof { return "inclusion" }
        return "consistency"
    }

    private func proofEnd(_ proof: TreeProof) -> (UInt64, MerkleHash) {
        switch proof {
        case .inclusion(let inclusion): (inclusion.treeSize, inclusion.rootHash)
        case .consistency(let consistency): (consistency.secondSize, consistency.secondRoot)
        }
    }
}

struct LogKeygen: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create an Ed25519 key for signing tree heads (never overwrites a file); print its public key.")

    @Option(help: "Where to write the key (readable by its owner only).") var out: String

    func execute() throws {
        let key = try SigningKeyFile.create(at: out)
        Output.json { json in
            json.beginObject()
            json.key("algorithm"); json.string("ed25519")
            json.key("key_file"); json.string(out)
            json.key("public_key"); json.string(Hex.encode(key.publicKey.rawRepresentation))
            json.endObject()
        }
    }
}

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
        let last = size == 0 ? nil : try log.read(from: size, limit: 1).first
        let head = TreeHead(treeSize: size, rootHash: try tree.root(size: size), timestampMs: last?.timestampMs ?? 0)
        var json = CanonicalJSONWriter()
        try SignedTreeHead(head: head, key: signingKey).write(to: &json)
        Output.line(json.bytes)
    }
}

struct LogCheckHead: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-head",
        abstract: "Check a signed tree head: its signature, and that the log holds it (a consistency proof from it to the log's head).",
        discussion: "Exits 0 when the signature is valid and the log is consistent with the head; 1 otherwise. With --public-key, the head must be signed by that key.")

    @Argument(help: "The signed tree head, as `clash log sign-head` prints it.") var file: String
    @OptionGroup var data: DataOptions
    @Option(name: .customLong("public-key"), help: "The operator's public key (hex) the head must be signed with.") var publicKey: String?
    @Flag(name: .customLong("signature-only"), help: "Check the signature alone, without a log.") var signatureOnly = false

    func execute() throws {
        let signed = try SignedTreeHead.parse(try readFile(file), source: file)
        var problems: [String] = []
        if !signed.isValid { problems.append("the signature is not valid for this head and public key") }
        if let publicKey, publicKey != Hex.encode(signed.publicKey) { problems.append("signed by key \(Hex.encode(signed.publicKey)), not \(publicKey)") }
        var consistency: ConsistencyProof?
        var logSize: UInt64?
        if !signatureOnly {
            let (tree, _) = try data.tree()
            logSize = tree.size
            if signed.head.treeSize > tree.size {
                problems.append("the log holds \(tree.size) events, fewer than the head's \(signed.head.treeSize): it was cut")
            } else {
                var proof = try ConsistencyProof(tree: tree, from: signed.head.treeSize, to: tree.size)
                if proof.firstRoot != signed.head.rootHash {
                    problems.append("the log's tree of \(signed.head.treeSize) events has root \(proof.firstRoot.hex), not the signed \(signed.head.rootHash.hex): the log was rewritten after the head was signed")
                }
                proof.firstRoot = signed.head.rootHash
                if !proof.isValid && problems.isEmpty { problems.append("the consistency proof from the head to the log does not verify") }
                consistency = proof
            }
        }
        Output.json { json in
            json.beginObject()
            if let consistency { json.key("consistency"); consistency.write(to: &json) }
            if let logSize { json.key("log_size"); json.uint(logSize) }
            writeProblems(problems, to: &json)
            json.key("public_key"); json.string(Hex.encode(signed.publicKey))
            json.key("root_hash"); json.string(signed.head.rootHash.hex)
            json.key("tree_size"); json.uint(signed.head.treeSize)
            json.key("valid"); json.bool(problems.isEmpty)
            json.endObject()
        }
        try failIfAny(problems, in: file)
    }
}

/// A check's problems in its JSON (none: no member).
private func writeProblems(_ problems: [String], to json: inout CanonicalJSONWriter) {
    guard !problems.isEmpty else { return }
    json.key("problems"); json.beginArray(); problems.forEach { json.string($0) }; json.endArray()
}

/// A check with problems fails with exit 1, naming the file checked.
private func failIfAny(_ problems: [String], in file: String) throws {
    guard !problems.isEmpty else { return }
    Output.error("\(file): " + problems.joined(separator: "; "))
    throw ExitCode(1)
}

private func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { throw TreeError.badFile(path: path, reason: "cannot read the file") }
    return [UInt8](data)
}
