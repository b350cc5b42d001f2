import ArgumentParser
import LedgerLog

struct LogExportCommand: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the whole log to a JSON Lines file that keeps batch boundaries.")

    @OptionGroup var data: DataOptions
    @Option(help: "The file to write.") var to: String

    func execute() throws {
        _ = try data.existingLog()
        let head = try LogExport.export(directory: data.logDirectory, to: to)
        Output.json { json in
            json.beginObject()
            json.key("events"); json.uint(head.sequence)
            json.key("file"); json.string(to)
            json.key("head_hash"); json.string(head.chain.hex)
            json.endObject()
        }
    }
}
