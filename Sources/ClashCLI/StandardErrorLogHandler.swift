import Foundation
import Logging

/// swift-log's handler for the command line: one line on standard error per message, prefixed by
/// what it is — `error:` (error and critical), `warning:`, `note:` (notice and info), `debug:` —
/// so a person reads it as gh and kubectl print theirs, and standard output stays the data.
struct StandardErrorLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let prefix = switch event.level {
        case .critical, .error: "error"
        case .warning: "warning"
        case .notice, .info: "note"
        case .debug, .trace: "debug"
        }
        let fields = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let suffix = fields.isEmpty ? "" : " (" + fields.keys.sorted().map { "\($0)=\(fields[$0]!)" }.joined(separator: ", ") + ")"
        FileHandle.standardError.write(Data("\(prefix): \(event.message)\(suffix)\n".utf8))
    }
}
