import ArgumentParser
import Foundation
import LedgerLog
import Projections

struct ProjectionsCatchUp: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "catch-up", abstract: "Fold every new event into the read models; --follow keeps going.")

    @OptionGroup var data: DataOptions
    @Flag(help: "Keep folding new events as they are appended (stop with Ctrl-C).") var follow = false
    @Option(help: "Most events per read-model transaction.")
    var transactionEvents = ProjectionRunner.transactionEventsDefault

    func validate() throws {
        guard transactionEvents >= 1 else { throw ValidationError("--transaction-events must be at least 1") }
    }

    func execute() throws {
        let runner = try data.openProjections(progress: ProgressLine.report)
        defer { try? runner.close() }
        runner.transactionEventsMax = transactionEvents
        let events = try runner.catchUp(progress: ProgressLine.report)
        ProgressLine.finish()
        Output.json { json in
            json.beginObject()
            json.key("events"); json.int(events)
            json.endObject()
        }
        if follow { try runner.follow { false } }
    }
}
