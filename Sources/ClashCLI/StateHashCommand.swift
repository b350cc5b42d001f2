import ArgumentParser
import Foundation
import LedgerLog
import Projections

struct StateHashCommand: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "state-hash",
        abstract: "Print a hash per read-model table (rows in primary-key order) and one overall.")

    @OptionGroup var data: DataOptions

    func execute() throws {
        let runner = try data.readModels()
        defer { try? runner.close() }
        try runner.catchUp()
        let hashes = try runner.stateHashes()
        Output.json { json in
            json.beginObject()
            json.key("overall"); json.string(StateHash.overall(of: hashes))
            json.key("read_models")
            json.beginObject()
            for name in hashes.keys.sorted() {
                json.key(name)
                json.beginObject()
                json.key("overall"); json.string(hashes[name]!.overall)
                json.key("tables")
                json.beginObject()
                for table in hashes[name]!.tables.keys.sorted() {
                    json.key(table); json.string(hashes[name]!.tables[table]!)
                }
                json.endObject()
                json.endObject()
            }
            json.endObject()
            json.endObject()
        }
    }
}

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
