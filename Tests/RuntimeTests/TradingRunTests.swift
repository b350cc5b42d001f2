import Clash
import ClashTesting
import Foundation
import GRDB
import Market
import Testing

@Suite("trading runs in simulated time", .timeLimit(.minutes(5)))
struct TradingRunTests {
    static let owner = "0x8ba1f109551bd432803012645ac136ddd64dba72"
    static let from: Int64 = 1_717_200_000_000 + 3_600_000
    static let to: Int64 = from + 4 * 3_600_000

    /// A market of 8 hours, a clone trading Layer 1 every 5 minutes with the momentum rule.
    static func setUp(rule: String = "momentum") throws -> (ledger: Ledger, graph: StrategyGraph) {
        let ledger = try marketLedger(seed: 11, assets: 8, hours: 8)
        var graph = StrategyGraph.basic(category: "Crypto/Layer 1", prompt: "trade", cadence: "5m", risk: "medium").convertedUp().convertedUp()
        let prompt = graph.blocks.firstIndex { $0.kind == "trading_prompt" }!
        graph.blocks[prompt].rule = rule
        try ledger.createClone(id: "c-1", owner: owner, identity: .init(name: "T", avatarText: "", tagline: ""), graph: graph)
        return (ledger, graph)
    }

    static func run(_ ledger: Ledger, _ graph: StrategyGraph, engine: any DecisionEngine = RulesEngine(seed: 5)) throws -> TradingRun.Summary {
        try TradingRun(log: ledger.log, artifacts: ledger.artifacts, graph: graph, engine: engine,
                       settings: .init(cloneId: "c-1", competitionId: "free", fromMs: from, toMs: to)).run()
    }

    static func lines(_ ledger: Ledger, _ stream: String) throws -> [[UInt8]] {
        try ledger.log.read(stream: stream).map { record in
            var writer = CanonicalJSONWriter()
            RecordCodec.encode(record, into: &writer)
            return writer.bytes
        }
    }

    @Test("the same log, graph, engine and seed append the same events, byte for byte; the same span again writes nothing")
    func deterministic() throws {
        let (first, graph) = try Self.setUp()
        let summary = try Self.run(first, graph)
        #expect(summary.runs == 48 * 7, "4 hours of 5-minute runs on the 7 Layer 1 assets of the 8 (DOGE is a meme)")
        #expect(summary.fills > 0 && summary.events > summary.runs * 3)
        let (second, _) = try Self.setUp()
        _ = try Self.run(second, graph)
        for stream in ["run.c-1.free", "account.c-1.free"] {
            #expect(try Self.lines(first, stream) == Self.lines(second, stream), "\(stream)")
        }
        let head = try first.head.sequence
        let again = try Self.run(first, graph)
        let headAfter = try first.head.sequence
        #expect(again.events == 0 && headAfter == head)
        #expect(again.account == summary.account)
    }

    @Test("clones traded together in a session (the market read ahead on one thread, runs completed on another) write what each writes traded alone")
    func sessionEqualsRunsAlone() throws {
        let (together, graph) = try Self.setUp()
        var reversion = graph
        let prompt = reversion.blocks.firstIndex { $0.kind == "trading_prompt" }!
        reversion.blocks[prompt].rule = "mean_reversion"
        try together.createClone(id: "c-2", owner: Self.owner, identity: .init(name: "U", avatarText: "", tagline: ""), graph: reversion)
        let clones: [(String, StrategyGraph, UInt64)] = [("c-1", graph, 5), ("c-2", reversion, 9)]
        let session = try TradingSession(log: together.log, artifacts: together.artifacts, clones: clones.map { id, graph, seed in
            (graph, RulesEngine(seed: seed) as any DecisionEngine, TradingRun.Settings(cloneId: id, competitionId: "free", fromMs: Self.from, toMs: Self.to))
        })
        let summaries = try session.run()
        for (index, (id, graph, seed)) in clones.enumerated() {
            let (alone, _) = try Self.setUp()
            let summary = try TradingRun(log: alone.log, artifacts: alone.artifacts, graph: graph, engine: RulesEngine(seed: seed),
                                         settings: .init(cloneId: id, competitionId: "free", fromMs: Self.from, toMs: Self.to)).run()
            #expect(summary.runs > 0 && summaries[index].runs == summary.runs && summaries[index].account == summary.account)
            for stream in ["run.\(id).free", "account.\(id).free"] {
                let written = try together.log.read(stream: stream).map { [$0.id, $0.type, String(decoding: $0.payload, as: UTF8.self)] }
                let expected = try alone.log.read(stream: stream).map { [$0.id, $0.type, String(decoding: $0.payload, as: UTF8.self)] }
                #expect(!written.isEmpty && written == expected, "\(stream)")
            }
        }
    }

    @Test("an append that fails stops the session with its error: nothing after it is written, and the steps stop")
    func failedAppend() throws {
        let (ledger, graph) = try Self.setUp()
        let log = FailingAppends(ledger.log, failing: 2)
        let session = try TradingSession(log: log, artifacts: ledger.artifacts, clones: [
            (graph, RulesEngine(seed: 5), TradingRun.Settings(cloneId: "c-1", competitionId: "free", fromMs: Self.from, toMs: Self.to)),
        ])
        let head = try ledger.log.head.sequence
        #expect(throws: FailingAppends.Refused.self) { try session.run() }
        #expect(log.attempts == [true, false], "the first append written, the second refused, none tried after it")
        let written = try ledger.log.head.sequence - head
        #expect(written > 0 && written == log.written, "the log holds the first append and nothing more")
    }

    /// A log whose `failing`-th append is refused (and counted), the others passed through.
    final class FailingAppends: LogStore, @unchecked Sendable {
        struct Refused: Error {}
        let base: any LogStore
        let failing: Int
        private(set) var attempts: [Bool] = []
        private(set) var written: UInt64 = 0

        init(_ base: any LogStore, failing: Int) {
            self.base = base
            self.failing = failing
        }

        var head: LogHead { get throws { try base.head } }
        func forEach(from sequence: UInt64, filter: RecordFilter, _ body: (LogRecord) throws -> Bool) throws {
            try base.forEach(from: sequence, filter: filter, body)
        }
        func streamVersion(_ stream: String) throws -> UInt64 { try base.streamVersion(stream) }
        func close() throws { try base.close() }

        func append(_ drafts: [EventDraft], expectations: [String: ExpectedVersion]) throws -> AppendResult {
            guard attempts.count + 1 != failing else {
                attempts.append(false)
                throw Refused()
            }
            attempts.append(true)
            let result = try base.append(drafts, expectations: expectations)
            written += UInt64(drafts.count)
            return result
        }
    }

    @Test("every packet a run logs is the one a fresh market view builds at its time (views stepped and parts kept equal views built anew)")
    func packetsEqualFreshViews() throws {
        let (ledger, graph) = try Self.setUp()
        _ = try Self.run(ledger, graph)
        let assembled = try ledger.log.read(stream: "run.c-1.free").filter { $0.type == ContextAssembled.type }
        #expect(assembled.count == 48 * 7)
        var checked = 0
        for record in assembled.enumerated().filter({ $0.offset % 11 == 0 }).map(\.element) {
            let logged = try EventCatalog.decode(record, as: ContextAssembled.self)
            let pipeline = try ContextPipeline(log: ledger.log)
            try pipeline.advance(to: record.timestampMs)
            let plan = try #require(try pipeline.plans(graph).first { logged.runId.hasSuffix("-\($0.prompt)-\($0.asset)-\(record.timestampMs)") })
            #expect(try pipeline.packet(plan).hash == logged.packetHash, "\(logged.runId)")
            checked += 1
        }
        #expect(checked > 25)
    }

    @Test("a competition traded in two spans is the same account, with the same events, as traded in one")
    func continuation() throws {
        let (whole, graph) = try Self.setUp()
        let summary = try Self.run(whole, graph)
        let (halves, _) = try Self.setUp()
        let middle = Self.from + 2 * 3_600_000
        for (start, end) in [(Self.from, middle), (middle, Self.to)] {
            _ = try TradingRun(log: halves.log, artifacts: halves.artifacts, graph: graph, engine: RulesEngine(seed: 5),
                               settings: .init(cloneId: "c-1", competitionId: "free", fromMs: start, toMs: end)).run()
        }
        #expect(summary.fills > 0)
        for stream in ["run.c-1.free", "account.c-1.free"] {
            #expect(try Self.lines(whole, stream) == Self.lines(halves, stream), "\(stream)")
        }
        let resumed = try halves.log.paperAccount(cloneId: "c-1", competitionId: "free")
        #expect(resumed.cashE6 == summary.account.cashE6 && resumed.positions == summary.account.positions)
    }

    @Test("every fill names the mid it used and where it came from; anyone can recompute its price, notional and fee")
    func fillsAreDerivable() throws {
        let (ledger, graph) = try Self.setUp()
        _ = try Self.run(ledger, graph)
        let fills = try ledger.log.read(stream: "account.c-1.free").filter { $0.type == Fill.type }.map { try EventCatalog.decode($0, as: Fill.self) }
        #expect(!fills.isEmpty)
        for fill in fills {
            let mid = try #require(fill.midE8)
            let midSequence = try #require(fill.midSequence)
            let source = try #require(try ledger.log.read(from: UInt64(midSequence), limit: 1).first)
            // The synthetic market's mids are ticks, and its spreads hourly book summaries.
            let tick = try EventCatalog.decode(source, as: MarketTick.self)
            #expect(tick.symbol == fill.asset && tick.midE8 == mid)
            if let spreadSequence = fill.spreadSequence {
                let book = try #require(try ledger.log.read(from: UInt64(spreadSequence), limit: 1).first)
                #expect(book.type == HyperliquidBookSummary.type)
            }
            let quote = FillPolicy.Quote(midE8: mid, midSequence: 0, spreadBp: fill.spreadBp, spreadSequence: nil)
            #expect(fill.priceE8 == FillPolicy.price(quote, buy: fill.side == "buy"))
            #expect(fill.notionalE6 == FillPolicy.notional(sizeE8: fill.sizeE8, priceE8: fill.priceE8))
            #expect(fill.feeE6 == FillPolicy.fee(notionalE6: FillPolicy.notional(sizeE8: fill.sizeE8, priceE8: fill.priceE8)))
        }
    }

    @Test("the account folded from the log alone is the account the run kept")
    func accountFromTheLog() throws {
        let (ledger, graph) = try Self.setUp(rule: "mean_reversion")
        let summary = try Self.run(ledger, graph)
        let folded = try ledger.log.paperAccount(cloneId: "c-1", competitionId: "free")
        #expect(folded.cashE6 == summary.account.cashE6 && folded.realizedE6 == summary.account.realizedE6)
        #expect(folded.feesE6 == summary.account.feesE6 && folded.fundingE6 == summary.account.fundingE6)
        #expect(folded.positions.mapValues(\.sizeE8) == summary.account.positions.mapValues(\.sizeE8))
        #expect(folded.marginUsedE6 == summary.account.marginUsedE6)
        #expect(folded.maxDrawdownBp == summary.account.maxDrawdownBp && folded.peakEquityE6 == summary.account.peakEquityE6)
    }

    @Test("every hour the account is marked: its equity recomputed from the event's own mids equals the one recorded, and drawdown follows the marks")
    func hourlyMarks() throws {
        let (ledger, graph) = try Self.setUp(rule: "mean_reversion")
        let summary = try Self.run(ledger, graph)
        let records = try ledger.log.read(stream: "account.c-1.free")
        let marks = records.filter { $0.type == AccountMarked.type }
        #expect(marks.map(\.timestampMs) == (0..<4).map { Self.from + Int64($0) * 3_600_000 }, "one per hour stepped on")
        var peak = PaperAccount.startingEquityDefaultE6
        var deepest: Int64 = 0, deepestE6: Int64 = 0
        for record in marks {
            let marked = try EventCatalog.decode(record, as: AccountMarked.self)
            // The account as of the mark, folded from the log before it (what the same minute trades
            // after the mark excluded), marked at the recorded mids.
            var account = try PaperAccount.folded(run: try ledger.log.read(stream: "run.c-1.free").filter { $0.sequence < record.sequence },
                                                  account: records.filter { $0.sequence < record.sequence })
            let mids = Dictionary(uniqueKeysWithValues: marked.marks.map { ($0.asset, $0.midE8) })
            #expect(Set(mids.keys) == Set(account.positions.keys))
            for mark in marked.marks {
                let source = try #require(try ledger.log.read(from: UInt64(mark.midSequence), limit: 1).first)
                #expect(source.timestampMs <= record.timestampMs && String(decoding: source.payload, as: UTF8.self).contains("\(mark.midE8)"),
                        "the mid comes from the event it names")
            }
            #expect(marked.equityE6 == account.equityE6(marks: mids) && marked.cashE6 == account.cashE6)
            #expect(marked.freeMarginE6 == marked.equityE6 - account.marginUsedE6 && marked.returnBp == account.returnBp(marks: mids))
            peak = max(peak, marked.equityE6)
            let fall = Int128(peak - marked.equityE6) * 10_000
            deepest = max(deepest, Int64((fall + Int128(peak) - 1) / Int128(peak)))  // basis points of the peak, rounded up
            #expect(marked.peakEquityE6 == peak && marked.maxDrawdownBp == deepest)
            deepestE6 = max(deepestE6, peak - marked.equityE6)
            account.markDrawdown(marks: mids)
            #expect(account.maxDrawdownE6 == deepestE6, "the exact drawdown (what races rank on) follows the marks too")
        }
        #expect(summary.account.maxDrawdownBp == deepest)
    }

    @Test("the trading read models: a row per run with its packet, decision and gate, every fill, the account the run kept")
    func readModels() throws {
        let (ledger, graph) = try Self.setUp(rule: "mean_reversion")
        let summary = try Self.run(ledger, graph)
        try ledger.query("trading") { db in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM execution_audit WHERE clone_id = 'c-1'") == summary.runs)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM execution_audit WHERE packet_hash IS NULL OR action IS NULL") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM execution_audit WHERE gate IS NOT NULL") == summary.rejections)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM fill") == summary.fills)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM dry_run_order WHERE status = 'filled'") == summary.fills)
            let account = try #require(try Row.fetchOne(db, sql: "SELECT * FROM account WHERE clone_id = 'c-1' AND competition_id = 'free'"))
            #expect(account["cash_e6"] as Int64 == summary.account.cashE6 && account["fees_e6"] as Int64 == summary.account.feesE6)
            #expect(account["funding_e6"] as Int64 == summary.account.fundingE6 && account["margin_used_e6"] as Int64 == summary.account.marginUsedE6)
            let lastMark = try EventCatalog.decode(try #require(try ledger.log.read(stream: "account.c-1.free").last { $0.type == AccountMarked.type }),
                                                   as: AccountMarked.self)
            #expect(account["equity_e6"] as Int64? == lastMark.equityE6 && account["max_drawdown_bp"] as Int64? == summary.account.maxDrawdownBp)
            #expect(account["return_bp"] as Int64? == lastMark.returnBp && account["free_margin_e6"] as Int64? == lastMark.freeMarginE6)
            let positions = try Row.fetchAll(db, sql: "SELECT asset, size_e8 FROM position ORDER BY asset")
            #expect(Dictionary(uniqueKeysWithValues: positions.map { ($0["asset"] as String, $0["size_e8"] as Int64) })
                    == summary.account.positions.mapValues(\.sizeE8))
        }
        try ledger.verifyReplay()
    }

    @Test("the hold engine decides every run and orders nothing; every packet is in the artifact store")
    func holdEngine() throws {
        let (ledger, graph) = try Self.setUp()
        let summary = try Self.run(ledger, graph, engine: HoldEngine())
        #expect(summary.runs > 0 && summary.holds == summary.runs && summary.fills == 0 && summary.rejections == 0)
        let runs = try ledger.log.read(stream: "run.c-1.free")
        #expect(runs.filter { $0.type == ContextAssembled.type }.count == summary.runs)
        for record in runs where record.type == ContextAssembled.type {
            let assembled = try EventCatalog.decode(record, as: ContextAssembled.self)
            #expect(ContentHash.of(try ledger.artifacts.get(assembled.packetHash)) == assembled.packetHash)
        }
        #expect(summary.account.cashE6 == PaperAccount.startingEquityDefaultE6)
    }

    @Test("the kill switch as events: halted for three hours, every action of those hours is rejected; after the resume none is")
    func killSwitchEvents() throws {
        let (ledger, graph) = try Self.setUp()
        let halt = Self.from, resume = Self.from + 3 * 3_600_000
        try ledger.append([try KillSwitchSet(state: "halted", reason: "drill").draft(id: "halt", stream: KillSwitchSet.stream, timestampMs: halt),
                           try KillSwitchSet(state: "running", reason: "drill over").draft(id: "resume", stream: KillSwitchSet.stream,
                                                                                         timestampMs: resume)])
        let summary = try Self.run(ledger, graph)
        #expect(summary.rejectionCodes["kill_switch", default: 0] > 0)
        try ledger.query("trading") { db in
            let halted = try Int64.fetchAll(db, sql: "SELECT ts FROM execution_audit WHERE gate = 'kill_switch'")
            #expect(!halted.isEmpty && halted.allSatisfy { $0 >= halt && $0 < resume })
            let acted = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM execution_audit WHERE ts >= ? AND ts < ? AND action != 'hold' AND (gate IS NULL OR gate != 'kill_switch')
                """, arguments: [halt, resume])
            #expect(acted == 0)
        }
    }

    @Test("a halted runtime rejects every open with the kill switch gate")
    func killSwitch() throws {
        let (ledger, graph) = try Self.setUp()
        let summary = try TradingRun(log: ledger.log, artifacts: ledger.artifacts, graph: graph, engine: RulesEngine(seed: 5),
                                     settings: .init(cloneId: "c-1", competitionId: "halted", fromMs: Self.from, toMs: Self.to,
                                                     killSwitch: .halted)).run()
        #expect(summary.fills == 0 && summary.rejections > 0 && summary.rejectionCodes.keys.sorted() == ["kill_switch"])
    }
}
