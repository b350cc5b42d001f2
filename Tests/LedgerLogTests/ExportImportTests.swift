import Foundation
import Testing
@testable import LedgerLog

@Suite("Export and import", .timeLimit(.minutes(5)))
struct ExportImportTests {
    @Test("an imported copy has the same head hash, records and segments' verification")
    func roundTrip() throws {
        let source = TemporaryDirectory()
        let target = TemporaryDirectory("copy")
        defer { source.cleanup(); target.cleanup() }
        let records = try RecoveryTests.makeLog(source.path, count: 700, batch: 70, segmentBytes: 16 << 10)
        let file = source.path + "/../export.jsonl"
        let exported = try LogExport.export(directory: source.path, to: file)
        try FileManager.default.removeItem(atPath: target.path)
        let imported = try LogExport.importLog(from: file, into: target.path)
        #expect(imported == exported)
        #expect(try LogReader(directory: target.path).read() == records)
        let report = LogVerifier.verify(directory: target.path)
        #expect(report.ok && report.head == exported)
        let log = try FileLog.openForTest(target.path)
        #expect(try log.append(Drafts.ticks(70)).written == false)
        try log.close()
    }

    static func exportLines(_ count: Int = 40) throws -> (TemporaryDirectory, String, [String]) {
        let source = TemporaryDirectory()
        _ = try RecoveryTests.makeLog(source.path, count: count, batch: 10)
        let file = source.path + "/../export.jsonl"
        try LogExport.export(directory: source.path, to: file)
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        return (source, file, lines)
    }

    @Test("bad import input is refused with its line named, and nothing is written",
          arguments: ["malformed JSON", "altered record", "missing record", "not an export", "float payload"])
    func badInput(_ damage: String) throws {
        let (source, file, lines) = try Self.exportLines()
        let target = TemporaryDirectory("copy")
        defer { source.cleanup(); target.cleanup() }
        var changed = lines
        let expectedLine: Int
        switch damage {
        case "malformed JSON": changed[5] = "{\"id\":"; expectedLine = 6
        case "altered record": changed[5] = changed[5].replacingOccurrences(of: "\"mid_e8\":6", with: "\"mid_e8\":7"); expectedLine = 2
        case "missing record": changed.remove(at: 5); expectedLine = 6
        case "not an export": changed[0] = "{\"hello\":1}"; expectedLine = 1
        default: changed[5] = changed[5].replacingOccurrences(of: "\"n\":", with: "\"n\":1.5,\"o\":"); expectedLine = 6
        }
        try (changed.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        guard case .badImport(_, let line, let reason)? = logError({ try LogExport.importLog(from: file, into: target.path) }) else {
            Issue.record("\(damage): expected badImport")
            return
        }
        #expect(line == expectedLine, "\(damage): \(reason)")
        #expect(try Segment.list(in: target.path).isEmpty)
    }

    @Test("import refuses a data directory that already holds a log")
    func importNeedsEmptyDirectory() throws {
        let (source, file, _) = try Self.exportLines()
        defer { source.cleanup() }
        #expect(logError { try LogExport.importLog(from: file, into: source.path) } == .notEmpty(directory: source.path))
        #expect(LogVerifier.verify(directory: source.path).ok)
    }
}
