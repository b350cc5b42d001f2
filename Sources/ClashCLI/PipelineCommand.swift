import ArgumentParser
import Clash
import Foundation

struct PipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline", abstract: "See what a clone's runs would read.", subcommands: [PipelinePreview.self])
}
