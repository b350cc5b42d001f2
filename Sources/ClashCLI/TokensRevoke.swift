import ArgumentParser
import Clash

struct TokensRevoke: ClashCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an operator token by its id: a server refuses it from its next request.")
    @OptionGroup var data: DataOptions
    @Argument(help: "The token's id (`clash tokens list`).") var tokenId: String

    func execute() throws {
        let entry = try OperatorTokens(directory: data.directory).revoke(tokenId, nowMs: SystemClock.nowMs)
        Output.line("{\"revoked_ms\":\(entry.revokedMs ?? 0),\"token_id\":\"\(entry.tokenId)\"}")
    }
}
