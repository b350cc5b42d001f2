import ArgumentParser
import LedgerLog

struct LogRepair: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Keep everything up to the last good batch; move the rest to quarantine (nothing is deleted).")

    @OptionGroup var data: DataOptions

    func execute() throws {
        let report = try FileLog.repair(directory: data.logDirectory)
        Output.json { json in
            json.beginObject()
            json.key("bytes_quarantined"); json.int(report.bytesQuarantined)
            json.key("kept_through_sequence"); json.uint(report.keptThrough)
            json.key("quarantined")
            json.beginArray()
            for file in report.quarantined { json.string(file) }
            json.endArray()
            json.key("repaired"); json.bool(report.problem != nil)
            json.endObject()
        }
    }
}
