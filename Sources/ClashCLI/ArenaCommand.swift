import ArgumentParser
import Clash
import Foundation

struct ArenaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arena", abstract: "The arena: slots, queue and the scheduler that runs auditions and races.",
        subcommands: [ArenaStatus.self, ArenaRun.self])
}
