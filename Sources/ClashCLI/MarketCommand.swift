import ArgumentParser
import Domain
import Foundation
import LedgerLog
import Market

struct MarketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "market", abstract: "Synthetic markets for demos, auditions and benchmarks, and how a market moves.",
        subcommands: [MarketSimulate.self, MarketStatsCommand.self, MarketStandIn.self])
}
