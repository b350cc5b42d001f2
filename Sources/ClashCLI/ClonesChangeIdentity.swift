import ArgumentParser
import Clash
import Foundation

struct ClonesChangeIdentity: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "change-identity", abstract: "Change a clone's public name, tagline and avatar text (its owner only).")

    @OptionGroup var data: DataOptions
    @OptionGroup var writer: WriterOptions
    @Argument(help: "The clone's id.") var id: String
    @Option(help: "The owner's address.") var owner: String
    @Option(help: "The public name.") var name: String
    @Option(help: "The public tagline.") var tagline = ""
    @Option(help: "The avatar text.") var avatar = ""

    func execute() throws {
        let ledger = try writer.open(data)
        defer { try? ledger.close() }
        try ledger.changeIdentity(id, owner: try address(owner), identity: .init(name: name, avatarText: avatar, tagline: tagline))
        Output.line("{\"clone_id\":\"\(id)\"}")
    }
}
