import ArgumentParser
import EventSchemas
import Foundation
import LedgerLog

/// What this build is: `clash --version` and `clash version [--json]`.
enum ClashVersion {
    static let current = "0.5.0"

    /// The git revision of the checkout the executable was built in (`<checkout>/.build/…`), or nil
    /// when it does not sit in one (an installed copy) or the checkout cannot be read.
    static var gitRevision: String? {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            if url.lastPathComponent == ".build" {
                return revision(ofCheckout: url.deletingLastPathComponent().path)
            }
        }
        return nil
    }

    /// HEAD of a checkout: a detached hash, or the commit its branch names (loose or packed ref).
    static func revision(ofCheckout root: String) -> String? {
        let git = root + "/.git"
        guard let head = try? String(contentsOfFile: git + "/HEAD", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) else {
            return nil
        }
        guard head.hasPrefix("ref: ") else { return ContentHash.isHexCommit(head) ? head : nil }
        let ref = String(head.dropFirst(5))
        if let loose = try? String(contentsOfFile: git + "/" + ref, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           ContentHash.isHexCommit(loose) {
            return loose
        }
        let packed = (try? String(contentsOfFile: git + "/packed-refs", encoding: .utf8)) ?? ""
        for line in packed.split(separator: "\n") where line.hasSuffix(" " + ref) {
            let hash = String(line.prefix { $0 != " " })
            if ContentHash.isHexCommit(hash) { return hash }
        }
        return nil
    }
}

extension ContentHash {
    /// A git commit name: 40 lowercase hex digits.
    static func isHexCommit(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}

struct VersionCommand: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the version; with --json also the log format, the catalog and the build's git revision.")

    @Flag(help: "One JSON object.") var json = false

    func execute() throws {
        guard json else {
            Output.line("clash \(ClashVersion.current)")
            return
        }
        Output.json { json in
            json.beginObject()
            json.key("catalog_event_types"); json.int(Set(EventCatalog.entries.map(\.type)).count)
            json.key("catalog_event_versions"); json.int(EventCatalog.entries.count)
            json.key("git_revision")
            if let revision = ClashVersion.gitRevision { json.string(revision) } else { json.null() }
            json.key("log_format_version"); json.int(Int(LogFormat.version))
            json.key("version"); json.string(ClashVersion.current)
            json.endObject()
        }
    }
}
