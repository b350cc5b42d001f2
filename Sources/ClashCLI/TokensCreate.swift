import ArgumentParser
import Clash
import Foundation

struct TokensCreate: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Make an operator token; prints it once (only its SHA-256 is kept in the data directory).")
    @OptionGroup var data: DataOptions
    @Option(help: "The role: operator (the kill switch, race cancellations and audits, any clone's strategy).") var role = "operator"
    @Option(help: "A label saying whose token it is.") var label = ""

    func execute() throws {
        try FileManager.default.createDirectory(atPath: data.directory, withIntermediateDirectories: true)
        let (token, entry) = try OperatorTokens(directory: data.directory).create(role: role, label: label, nowMs: SystemClock.nowMs)
        Output.json { json in
            json.beginObject()
            json.key("role"); json.string(entry.role)
            json.key("token"); json.string(token)
            json.key("token_id"); json.string(entry.tokenId)
            json.endObject()
        }
        Output.note("the token is shown this once; send it as Authorization: Bearer TOKEN")
    }
}
