import ArgumentParser
import Clash
import Foundation

struct ClonesRetire: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "retire", abstract: "Retire a clone (its owner only; not while it races). Its career stays in the log.")

    @OptionGroup var data: DataOptions
    @OptionGroup var writer: WriterOptions
    @Argument(help: "The clone's id.") var id: String
    @Option(help: "The owner's address.") var owner: String

    func execute() throws {
        let ledger = try writer.open(data)
        defer { try? ledger.close() }
        // Through the arena: refused while the clone races; it leaves the accumulating race (its
        // tickets refunded) and its slot or its place in the queue.
        try ledger.arenaBookkeeping.retire(id, reason: "owner", policy: 0, owner: try address(owner), at: writer.at ?? SystemClock.nowMs)
        Output.line("{\"clone_id\":\"\(id)\",\"status\":\"retired\"}")
    }
}
