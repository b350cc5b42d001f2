import ArgumentParser
import Foundation
import LedgerLog
import Projections

struct ProjectionsRebuild: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild one read model (or all) from the log into a shadow file, then swap it in.")

    @OptionGroup var data: DataOptions
    @Argument(help: "The read model to rebuild (default: all).") var name: String?

    func execute() throws {
        let runner = try data.openProjections(progress: ProgressLine.report)
        defer { try? runner.close() }
        let start = monotonicSeconds()
        try runner.rebuild(name, progress: ProgressLine.report)
        ProgressLine.finish()
        let status = try runner.status().filter { name == nil || $0.name == name }
        Output.json { json in
            json.beginObject()
            json.key("rebuilt")
            json.beginArray()
            for entry in status { json.string(entry.name) }
            json.endArray()
            json.key("seconds"); json.decimal(monotonicSeconds() - start, places: 3)
            json.endObject()
        }
    }
}
