import ArgumentParser
import Foundation
import LedgerLog

struct LogDump: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump", abstract: "Print records as canonical JSON Lines, exactly as stored.")

    @OptionGroup var data: DataOptions
    @Option(help: "First sequence to print.") var from: UInt64 = 1
    @Option(help: "Most records to print.") var limit: Int?
    @Option(help: "Only records of this stream.") var stream: String?
    @Option(help: "Only records of this type.") var type: String?
    @Flag(help: "Keep printing records as they are appended (stop with Ctrl-C).") var follow = false

    func execute() throws {
        let reader = try data.existingLog()
        let filter = RecordFilter(stream: stream, type: type)
        var printed = 0
        let limit = self.limit ?? .max
        guard limit > 0 else { return }
        let body: (LogRecord) throws -> Bool = { record in
            Output.line(record.canonicalBytes)
            printed += 1
            return printed < limit
        }
        if follow {
            try reader.follow(from: from, filter: filter, body)
        } else {
            try reader.forEach(from: from, filter: filter, body)
        }
    }
}
