import ArgumentParser
import Clash
import Foundation

struct RuntimeTrail: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "trail", abstract: "Print a clone's runs in order, an event each (a table, or JSON lines): packet hash, decision, gate, order, fill.")

    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @Option(help: "The clone's id.") var clone: String
    @Option(help: "The competition.") var competition = "free"
    @Option(help: "Only this asset's runs.") var asset: String?

    func execute() throws {
        let log = try data.existingLog()
        let records = (try log.read(stream: Streams.run(clone: clone, competition: competition)) + log.read(stream: Streams.account(clone: clone, competition: competition)))
            .sorted { $0.sequence < $1.sequence }
        var runsOfAsset = Set<String>()
        var lines: [[UInt8]] = []
        for record in records {
            if let asset {
                switch try EventCatalog.decode(record) {
                case let due as RunDue where due.asset == asset: runsOfAsset.insert(due.runId)
                case let funding as FundingPaid where funding.asset == asset: break
                case let liquidated as Liquidated where liquidated.asset == asset: break
                default:
                    guard let correlation = record.correlationId, runsOfAsset.contains(correlation) else { continue }
                }
            }
            var writer = CanonicalJSONWriter()
            RecordCodec.encode(record, into: &writer)
            lines.append(writer.bytes)
        }
        try report.print(objects: lines)
    }
}
