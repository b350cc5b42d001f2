import ArgumentParser
import Clash
import Foundation

struct ClonesValidate: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a strategy graph file: every problem at once, with code and JSON pointer; exit 65 when there is any.",
        discussion: "With a data directory that holds a log, asset selections and leverage are checked against its market memory too.")

    @OptionGroup var data: DataOptions
    @Argument(help: "The graph file (JSON).") var file: String

    func execute() throws {
        let graph = try readGraph(file)
        let problems: [GraphProblem]
        // Market memory when there is a log; a directory named on purpose must hold one.
        if data.isNamed || data.missingLog == nil {
            let pipeline = try ContextPipeline(log: try data.existingLog())
            try pipeline.advanceToNewest()
            problems = try pipeline.problems(graph)
        } else {
            problems = graph.problems()
        }
        for problem in problems {
            Output.json { json in
                json.beginObject()
                json.key("code"); json.string(problem.code)
                json.key("message"); json.string(problem.message)
                json.key("pointer"); json.string(problem.pointer)
                json.endObject()
            }
        }
        if !problems.isEmpty {
            Output.error("\(file): \(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was written")
            throw ExitCode(65)
        }
        Output.line("{\"valid\":true}")
    }
}
