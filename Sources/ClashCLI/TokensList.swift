import ArgumentParser
import Clash

struct TokensList: ClashCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the operator tokens (ids, roles, labels, times; never a token).")
    @OptionGroup var data: DataOptions

    func execute() throws {
        for entry in try OperatorTokens(directory: data.directory).list() {
            Output.json { json in
                json.beginObject()
                json.key("created_ms"); json.int(entry.createdMs)
                json.key("label"); json.string(entry.label)
                if let revoked = entry.revokedMs { json.key("revoked_ms"); json.int(revoked) }
                json.key("role"); json.string(entry.role)
                json.key("token_id"); json.string(entry.tokenId)
                json.endObject()
            }
        }
    }
}
