import ArgumentParser
import Clash
import LedgerLog
import LedgerPostgres

struct LogImportCommand: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Rebuild a log from an export file into an empty data directory (or an empty log on PostgreSQL with --store); the head hash is the same.")

    @OptionGroup var data: DataOptions
    @Option(help: "The export file to read.") var from: String

    func execute() throws {
        let head: LogHead
        if let url = data.storeURL {
            let log = try PostgresStore.open(url: url)
            defer { try? log.close() }
            head = try LogExport.importLog(from: from, into: log)
        } else {
            head = try LogExport.importLog(from: from, into: data.logDirectory)
        }
        Output.json { json in
            json.beginObject()
            json.key("events"); json.uint(head.sequence)
            json.key("head_hash"); json.string(head.chain.hex)
            json.endObject()
        }
    }
}
