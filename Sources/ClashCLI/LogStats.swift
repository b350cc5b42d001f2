import ArgumentParser
import LedgerLog

struct LogStats: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Print the log's figures as JSON (quick: reads headers only).")

    @OptionGroup var data: DataOptions

    func execute() throws {
        let reader = try data.existingFileLog("clash log stats")
        let head = reader.head
        Output.json { json in
            json.beginObject()
            json.key("batches"); json.int(reader.batchCount)
            json.key("bytes_on_disk"); json.int(reader.bytesOnDisk)
            json.key("directory"); json.string(data.logDirectory)
            json.key("events"); json.uint(head.sequence)
            json.key("head_hash"); json.string(head.chain.hex)
            json.key("head_sequence"); json.uint(head.sequence)
            json.key("segments"); json.int(reader.segmentCount)
            json.endObject()
        }
    }
}
