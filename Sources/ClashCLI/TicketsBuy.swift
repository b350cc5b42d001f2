import ArgumentParser
import Clash
import Foundation

struct TicketsBuy: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "buy", abstract: "Buy tickets on a clone of the accumulating race; prints each ticket.",
        discussion: "Refused, nothing written, when the race is unknown or not accumulating, the clone not in its line-up, the count below 1 or the holder not an address.")
    @OptionGroup var data: DataOptions
    @Option(help: "The race.") var race: String
    @Option(help: "The clone backed.") var clone: String
    @Option(help: "The holder's address: 0x and 40 hex digits, lowercase or EIP-55 checksummed.") var holder: String
    @Option(help: "How many tickets.") var count = 1
    @Option(help: "Stamp the tickets with this time in ms (default: now).") var at: Int64?
    @Option(help: "A key naming this purchase: bought again with the same key, nothing more is bought and the same tickets are printed.") var order: String?

    func execute() throws {
        let holder = try Address.parse(holder, field: "--holder", code: "ticket.holder")
        let ledger = try Ledger.open(directory: data.directory, store: data.storeURL, clock: at.map(FixedClock.init) ?? SystemClock())
        defer { try? ledger.close() }
        for ticket in try ledger.buyTickets(raceId: race, cloneId: clone, holder: holder, count: count, order: order) {
            Output.line(try ticket.canonicalPayload())
        }
    }
}
