import ArgumentParser
import Clash
import Foundation

struct RuntimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runtime", abstract: "Trade clones on paper over the logged market, every step an event.",
        subcommands: [RuntimeRun.self, RuntimeRunOnce.self, RuntimeWorkerCommand.self, RuntimeTrail.self, KillSwitchCommand.Halt.self, KillSwitchCommand.ReduceOnly.self, KillSwitchCommand.Resume.self])
}

struct RuntimeRun: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a clone in simulated time from --from to --to over the logged market; print a summary (a list of fields, or JSON).",
        discussion: "Every run, decision, gate result, order, fill, funding payment and liquidation is appended; the same span again writes nothing.")

    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var artifacts: ArtifactOptions
    @Option(help: "The clone's id.") var clone: String
    @Option(help: "Start, ms (simulated time: the market data's).") var from: Int64
    @Option(help: "End, ms (exclusive).") var to: Int64
    @OptionGroup var engine: EngineOptions
    @Option(help: "The competition the paper account belongs to.") var competition = "free"

    func execute() throws {
        guard to > from else { throw ValidationError("--to must be after --from") }
        let ledger = try artifacts.open(data)
        defer { try? ledger.close() }
        let state = try ledger.cloneState(clone)
        guard state.exists else { throw DomainError("clone.unknown", "no clone has id \(clone); `clash clones list` shows the clones") }
        guard !state.retired else { throw DomainError("clone.retired", "clone \(clone) is retired; its career is archived") }
        let run = try TradingRun(log: ledger.log, artifacts: ledger.artifacts, graph: try ledger.strategy(of: clone),
                                 engine: try engine.engine(artifacts: ledger.artifacts),
                                 settings: TradingRun.Settings(cloneId: clone, competitionId: competition, fromMs: from, toMs: to))
        let summary = try run.run()
        try report.print(objects: [Output.object { json in
            json.beginObject()
            json.key("cash_e6"); json.int(summary.account.cashE6)
            json.key("competition"); json.string(competition)
            json.key("engine"); json.string(engine.engine.rawValue)
            json.key("equity_e6"); json.int(summary.account.equityE6(marks: summary.marks))
            json.key("events"); json.int(summary.events)
            json.key("fees_e6"); json.int(summary.account.feesE6)
            json.key("fills"); json.int(summary.fills)
            json.key("funding_e6"); json.int(summary.account.fundingE6)
            json.key("funding_payments"); json.int(summary.fundingPayments)
            json.key("holds"); json.int(summary.holds)
            json.key("liquidations"); json.int(summary.liquidations)
            json.key("max_drawdown_bp"); json.int(summary.account.maxDrawdownBp)
            json.key("open_positions"); json.int(summary.account.positions.count)
            json.key("rejections"); json.int(summary.rejections)
            json.key("return_bp"); json.int(summary.account.returnBp(marks: summary.marks))
            json.key("runs"); json.int(summary.runs)
            json.key("triggers"); json.int(summary.triggers)
            json.endObject()
        }])
    }
}

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
        let records = (try log.read(stream: "run.\(clone).\(competition)") + log.read(stream: "account.\(clone).\(competition)"))
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

/// The kill switch, as events: every run stamped at or after one follows it.
enum KillSwitchCommand {
    /// What each kill-switch command takes: where, when, and why.
    struct Options: ParsableArguments {
        @OptionGroup var data: DataOptions
        @OptionGroup var writer: WriterOptions
        @Option(help: "Why.") var reason: String

        func set(_ state: Gates.KillSwitch) throws {
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--reason says why, for the record") }
            let ledger = try writer.open(data)
            defer { try? ledger.close() }
            let result = try ledger.append(KillSwitchSet(state: state.rawValue, reason: reason), stream: KillSwitchSet.stream)
            Output.line("{\"sequence\":\(result.lastSequence),\"state\":\"\(state.rawValue)\"}")
        }
    }

    struct Halt: ClashCommand {
        static let configuration = CommandConfiguration(commandName: "halt", abstract: "Halt the runtime: every action is rejected (kill_switch).")
        @OptionGroup var options: Options
        func execute() throws { try options.set(.halted) }
    }

    struct ReduceOnly: ClashCommand {
        static let configuration = CommandConfiguration(commandName: "reduce-only", abstract: "Only closes pass; every open is rejected (kill_switch).")
        @OptionGroup var options: Options
        func execute() throws { try options.set(.reduceOnly) }
    }

    struct Resume: ClashCommand {
        static let configuration = CommandConfiguration(commandName: "resume", abstract: "Trade again.")
        @OptionGroup var options: Options
        func execute() throws { try options.set(.running) }
    }
}

struct RuntimeRunOnce: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-once",
        abstract: "One run of a clone on one asset, now or at --at; prints its path, an event each (packet, decision, gate, order, fill), as a table or JSON lines.",
        discussion: "Refused when the asset's previous run in the competition is closer than its cadence, unless --force.")

    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var artifacts: ArtifactOptions
    @Option(help: "The clone's id.") var clone: String
    @Option(help: "The asset.") var asset: String
    @Option(help: "The time in ms (default: the newest market event's time).") var at: Int64?
    @Flag(help: "Run even when the asset's previous run is closer than its cadence.") var force = false
    @OptionGroup var engine: EngineOptions
    @Option(help: "The competition.") var competition = "free"

    func execute() throws {
        let ledger = try artifacts.open(data)
        defer { try? ledger.close() }
        let state = try ledger.cloneState(clone)
        guard state.exists, !state.retired else { throw DomainError("clone.unknown", "no active clone has id \(clone); `clash clones list` shows the clones") }
        let graph = try ledger.strategy(of: clone)
        let time: Int64
        if let at { time = at } else {
            let replica = try MarketReplica(log: ledger.log)
            try replica.advanceToNewest()
            time = replica.asOfMs
        }
        let previous = try ledger.log.read(stream: "run.\(clone).\(competition)").filter { $0.type == RunDue.type }
            .map { (record: $0, due: try EventCatalog.decode($0, as: RunDue.self)) }.last { $0.due.asset == asset && $0.record.timestampMs <= time }
        if let previous, !force, time - previous.record.timestampMs < previous.due.cadenceMs {
            throw ValidationError("\(asset)'s last run was at \(previous.record.timestampMs), less than its cadence of \(previous.due.cadenceMs) ms before \(time); --force runs it anyway")
        }
        let run = try TradingRun(log: ledger.log, artifacts: ledger.artifacts, graph: graph, engine: try engine.engine(artifacts: ledger.artifacts),
                                 settings: TradingRun.Settings(cloneId: clone, competitionId: competition, fromMs: time, toMs: time + 1,
                                                               onlyAsset: asset))
        let summary = try run.run()
        guard summary.runs == 1 else {
            throw ValidationError("clone \(clone)'s strategy trades no \(asset) as of \(time); `clash pipeline preview --clone \(clone)` lists its assets")
        }
        let runId = "run-\(clone)-\(competition)-"
        var lines: [[UInt8]] = []
        for stream in ["run.\(clone).\(competition)", "account.\(clone).\(competition)"] {
            for record in try ledger.log.read(stream: stream) where record.timestampMs == time && (record.correlationId ?? "").hasPrefix(runId)
                && (record.correlationId ?? "").hasSuffix("-\(asset)-\(time)") {
                var writer = CanonicalJSONWriter()
                RecordCodec.encode(record, into: &writer)
                lines.append(writer.bytes)
            }
        }
        try report.print(objects: lines)
    }
}
