import ArgumentParser

struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Operators' bearer tokens for `clash serve` (only their SHA-256 is kept).",
        subcommands: [TokensCreate.self, TokensList.self, TokensRevoke.self])
}
