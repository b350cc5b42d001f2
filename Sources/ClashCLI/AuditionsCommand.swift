import ArgumentParser
import Clash
import Foundation

struct AuditionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "auditions", abstract: "Auditions: 24 hours of paper trading.",
                                                    subcommands: [AuditionsRun.self])
}
