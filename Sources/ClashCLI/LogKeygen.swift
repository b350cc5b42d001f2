import ArgumentParser
import Transparency
import Foundation
import LedgerLog

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
