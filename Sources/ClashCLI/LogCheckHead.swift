import ArgumentParser
import Transparency
import Foundation
import LedgerLog

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
