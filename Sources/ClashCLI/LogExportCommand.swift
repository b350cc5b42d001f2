import ArgumentParser
import Clash
import LedgerLog
import LedgerPostgres

struct LogExportCommand: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the whole log (a file log, or the log on PostgreSQL with --store) to a JSON Lines file that keeps batch boundaries.")

    @OptionGroup var data: DataOptions
    @Option(help: "The file to write.") var to: String

    func execute() throws {
        let head: LogHead
        if let url = data.storeURL {
            let log = try PostgresStore.open(url: url)
            defer { try? log.close() }
            head = try LogExport.export(head: try log.head, to: to) { try log.forEachBatch($0) }
        } else {
            _ = try data.existingLog()
            head = try LogExport.export(directory: data.logDirectory, to: to)
        }
        Output.json { json in
            json.beginObject()
            json.key("events"); json.uint(head.sequence)
            json.key("file"); json.string(to)
            json.key("head_hash"); json.string(head.chain.hex)
            json.endObject()
        }
    }
}
