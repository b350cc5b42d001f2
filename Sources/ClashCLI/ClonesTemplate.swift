import ArgumentParser
import Clash
import Foundation

struct ClonesTemplate: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Print a valid example strategy graph of a granularity.")

    @Option(help: "basic, custom or power.") var granularity: String = "basic"

    func execute() throws {
        guard let level = Granularity(rawValue: granularity) else { throw ValidationError("--granularity is basic, custom or power") }
        let basic = StrategyGraph.basic(category: "Crypto/Layer 1", prompt: "Follow the 1h trend; stay flat when funding is extreme.",
                                        cadence: "5m", risk: "medium")
        let graph = switch level {
        case .basic: basic
        case .custom: basic.convertedUp()
        case .power: basic.convertedUp().convertedUp()
        }
        Output.line(try graph.prettyBytes())
    }
}
