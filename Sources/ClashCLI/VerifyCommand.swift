import ArgumentParser
import Foundation
import LedgerLog
import Projections

struct VerifyCommand: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the log; with --replay also rebuild every read model in a scratch folder and compare state hashes.")

    @OptionGroup var data: DataOptions
    @Flag(help: "Rebuild every read model from the log and compare it with the live one.") var replay = false

    func execute() throws {
        _ = try data.existingLog()
        let report = LogVerifier.verify(directory: data.logDirectory)
        if let problem = report.problem {
            Output.error("damaged log: \(problem.file) at byte \(problem.offset): \(problem.reason)")
            throw ExitCode(1)
        }
        var replayed = false
        if replay {
            let scratch = NSTemporaryDirectory() + "clash-replay-\(getpid())"
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let runner = try data.readModels()
            defer { try? runner.close() }
            do {
                try runner.verifyReplay(scratchDirectory: scratch)
            } catch let error as ProjectionError {
                Output.error("\(error)")
                throw ExitCode(1)
            }
            replayed = true
        }
        Output.json { json in
            json.beginObject()
            json.key("events"); json.uint(report.events)
            json.key("head_hash"); json.string(report.head.chain.hex)
            json.key("log_ok"); json.bool(true)
            json.key("replay_equal"); replayed ? json.bool(true) : json.null()
            json.endObject()
        }
    }
}
