import ArgumentParser
import Clash
import LedgerLog
import LedgerPostgres

struct LogVerify: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every CRC, record and the whole hash chain; print JSON. Exits 1 on damage.",
        discussion: "A torn tail (bytes after the last complete batch of the last segment, which a writer killed mid-append leaves) is reported under torn_tail and is not damage: exit 0 when everything before it verifies.")

    @OptionGroup var data: DataOptions

    func execute() throws {
        if let url = data.storeURL { return try verifyOnPostgres(url) }
        _ = try data.existingLog()
        let report = LogVerifier.verify(directory: data.logDirectory)
        Output.json { json in
            json.beginObject()
            json.key("batches"); json.int(report.batches)
            json.key("bytes_on_disk"); json.int(report.bytesOnDisk)
            json.key("events"); json.uint(report.events)
            json.key("head_hash"); json.string(report.head.chain.hex)
            json.key("head_sequence"); json.uint(report.head.sequence)
            json.key("ok"); json.bool(report.ok)
            if let problem = report.problem {
                json.key("problem")
                json.beginObject()
                json.key("file"); json.string(problem.file)
                json.key("offset"); json.int(problem.offset)
                json.key("reason"); json.string(problem.reason)
                if let sequence = problem.sequence { json.key("sequence"); json.uint(sequence) }
                json.endObject()
            }
            json.key("segments"); json.int(report.segments)
            if let torn = report.tornTail {
                json.key("torn_tail")
                json.beginObject()
                json.key("bytes"); json.int(torn.bytes)
                json.key("cut_short"); json.bool(torn.cutShort)
                json.key("file"); json.string(torn.file)
                json.key("offset"); json.int(torn.offset)
                json.endObject()
            }
            json.endObject()
        }
        if let torn = report.tornTail {
            Output.note("\(torn.file) at byte \(torn.offset): \(torn.reason); the next writer moves them to \(data.logDirectory)/quarantine/")
        }
        if let problem = report.problem {
            Output.error("damaged log: \(problem.file) at byte \(problem.offset)"
                + (problem.sequence.map { ", first bad sequence \($0)" } ?? "") + ": \(problem.reason)")
            throw ExitCode(1)
        }
    }
}

extension LogVerify {
    /// The log on PostgreSQL: every sequence present once, each batch's chain value recomputed
    /// from the stored bytes, the head's equal to the last.
    func verifyOnPostgres(_ url: String) throws {
        let log = try PostgresStore.open(url: url)
        defer { try? log.close() }
        do {
            let verification = try log.verify()
            Output.json { json in
                json.beginObject()
                json.key("batches"); json.int(verification.batches)
                json.key("events"); json.uint(verification.events)
                json.key("head_hash"); json.string(verification.head.chain.hex)
                json.key("head_sequence"); json.uint(verification.head.sequence)
                json.key("ok"); json.bool(true)
                json.key("store"); json.string(log.location.description)
                json.endObject()
            }
        } catch let error as PostgresLogError {
            Output.error("damaged log: \(error)")
            throw ExitCode(1)
        }
    }
}
