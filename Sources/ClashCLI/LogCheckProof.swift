import ArgumentParser
import Transparency
import Foundation
import LedgerLog

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
