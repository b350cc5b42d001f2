import ArgumentParser
import Foundation
import LedgerLog
import ClashCore
import Projections

struct AssetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets", abstract: "The asset universe and each asset's latest data, from market memory.",
        subcommands: [AssetsList.self, AssetsLatest.self])
}
