import Audit
import Clash
import ClashTesting
import Foundation
import Market
import Testing
import Transparency

/// Races audited in process: a racer on a model (its answers read from the recorded exchanges with
/// the endpoint stopped), a cancelled race, and a policy this build does not know.
@Suite("race audits", .timeLimit(.minutes(5)))
struct RaceAuditTests {
    static let start: Int64 = 1_717_200_000_000
    static let origin = start + AuditionPolicy.durationMs
    static let holders = (1...3).map { "0x" + String(repeating: String($0), count: 40) }

    static let answer = #"{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"{\"action\":\"open_long\",\"size_usd\":\"900.5\",\"leverage\":2,\"stop_loss\":null,\"take_profit\":null,\"confidence\":0.6,\"reason\":\"up\"}"},"finish_reason":"stop"}]}"#

    /// Two assets over 24 + 24 hours, three clones created at the start, the arena driven hour by
    /// hour to `until` with c-1 on `model` (or the rules engine), spectators buying an hour after each race opens.
    static func season(until: Int64, model: (Ledger) -> (any DecisionEngine)?, ethDelisted: Range<Int64>? = nil) throws -> (Ledger, ArenaScheduler) {
        let ledger = try Ledger.forTesting(seed: 5, clock: ManualClock(startMilliseconds: start))
        try ledger.append([try CategoryMapping.event().draft(id: "categories", stream: "source.hyperliquid", timestampMs: start)])
        var market = Array(SyntheticMarket(seed: 5, assets: 2, hours: 49))
        if let ethDelisted {
            // The universe again with ETH delisted at the range's start, and listed again at its end.
            for (time, delisted) in [(ethDelisted.lowerBound, true), (ethDelisted.upperBound, false)] {
                let assets = ["BTC", "ETH"].enumerated().map { index, symbol in
                    HyperliquidUniverse.UniverseAsset(symbol: symbol, index: Int64(index), kind: "perp", quote: "USDC", sizeDecimals: 3, maxLeverage: 40,
                                                      onlyIsolated: false, delisted: delisted && symbol == "ETH")
                }
                market.insert(try HyperliquidUniverse(dex: "", assets: assets).draft(id: "universe-\(time)", stream: "source.hyperliquid", timestampMs: time),
                              at: market.firstIndex { $0.timestampMs >= time }!)
            }
        }
        try ledger.log.appendInBatches(market)
        for index in 1...3 {
            var graph = StrategyChoices(assets: ["BTC", "ETH"], prompt: "p", cadence: "15m", risk: "medium").graph(.custom).convertedUp()
            graph.blocks[graph.blocks.firstIndex { $0.kind == "trading_prompt" }!].rule = RuleEngine.rules[index % 3]
            try ledger.createClone(id: "c-\(index)", owner: "0x" + String(repeating: "a", count: 39) + String(index),
                                   identity: .init(name: "C\(index)", avatarText: "", tagline: ""), graph: graph)
        }
        var settings = ArenaScheduler.Settings(originMs: origin)
        settings.slotCount = 2
        settings.storePackets = false
        let shared = model(ledger)
        let scheduler = ArenaScheduler(log: ledger.log, artifacts: ledger.artifacts, settings: settings) { id in
            id == "c-1" ? shared ?? RulesEngine(seed: 11) : RulesEngine(seed: UInt64(id.count) + 7)
        }
        var time = start
        while time <= until {
            try scheduler.advance(to: time)
            if let race = scheduler.accumulatingRace, race.tickets.isEmpty, !race.lineup.isEmpty {
                for (index, holder) in holders.enumerated() {
                    try scheduler.buyTickets(raceId: race.raceId, cloneId: race.lineup[index % race.lineup.count], holder: holder, count: index + 1,
                                             at: time + 3_600_000)
                }
            }
            time += 3_600_000
        }
        return (ledger, scheduler)
    }

    @Test("a racer on a model: every settled race audits as a match with the endpoint stopped, and no request reaches it")
    func modelRacer() throws {
        let server = try ScriptedHTTPServer([], fallback: .respond(status: 200, body: Self.answer))
        let (ledger, scheduler) = try Self.season(until: Self.origin + 18 * 3_600_000) { ledger in
            ModelEngine(settings: .init(baseURL: server.baseURL.appendingPathComponent("v1"), model: "stand-in", deadlineSeconds: 5),
                        artifacts: ledger.artifacts)
        }
        server.stop()
        let served = server.served
        #expect(served > 0, "c-1 asked the model while it raced")
        let settled = scheduler.races.values.filter { $0.phase == .settled }.map(\.raceId).sorted()
        #expect(settled == ["r-1", "r-2"])
        for race in settled {
            let report = try RaceAudit.audit(raceId: race, log: ledger.log, artifacts: ledger.artifacts)
            #expect(report.matches, "\(race): \(String(describing: report.divergence))")
            #expect(report.racers == 2 && report.runs > 0 && report.eventsCompared > report.runs)
        }
        let decisions = try ledger.log.read(stream: "run.c-1.r-1").filter { $0.type == DecisionProposed.type }
        #expect(!decisions.isEmpty && decisions.allSatisfy { String(decoding: $0.payload, as: UTF8.self).contains("\"exchange_hash\"") })
        #expect(server.served == served, "an audit never calls the model")
    }

    @Test("a racer whose strategy stops validating mid-race (ETH delisted for an hour) has those runs recorded as skipped with why, the race ends and settles, and its audit matches")
    func strategyInvalidMidRace() throws {
        let delisted = (Self.origin + 8 * 3_600_000)..<(Self.origin + 9 * 3_600_000)
        let (ledger, scheduler) = try Self.season(until: Self.origin + 13 * 3_600_000, model: { _ in nil }, ethDelisted: delisted)
        #expect(scheduler.races["r-1"]?.phase == .settled)
        let lineup = try #require(scheduler.races["r-1"]?.lineup)
        for clone in lineup {
            let records = try ledger.log.read(stream: "run.\(clone).r-1")
            let skipped = try records.filter { $0.type == RunSkipped.type }.map { try EventCatalog.decode($0, as: RunSkipped.self) }
            #expect(!skipped.isEmpty && skipped.allSatisfy { delisted.contains($0.dueMs) && $0.reason == "strategy_invalid" && $0.problem == "asset.unknown_asset" },
                    "\(clone): \(skipped.map(\.dueMs))")
            let dues = records.filter { $0.type == RunDue.type }.map(\.timestampMs)
            #expect(!dues.contains { delisted.contains($0) } && dues.contains { $0 >= delisted.upperBound }, "\(clone) trades again once ETH is listed")
        }
        let report = try RaceAudit.audit(raceId: "r-1", log: ledger.log, artifacts: ledger.artifacts)
        #expect(report.matches, "\(String(describing: report.divergence))")
    }

    @Test("a cancelled race audits its refunds; a history whose settlement names a policy this build does not know cannot be audited")
    func cancelledAndUnknownPolicy() throws {
        let (ledger, scheduler) = try Self.season(until: Self.origin + 13 * 3_600_000) { _ in nil }
        let race = try #require(scheduler.accumulatingRace)
        #expect(race.tickets.count == 6)
        try scheduler.cancel(race.raceId, reason: "data_outage", at: Self.origin + 14 * 3_600_000)
        let report = try RaceAudit.audit(raceId: race.raceId, log: ledger.log, artifacts: ledger.artifacts)
        #expect(report.matches && report.eventsCompared == 1 + 6, "the cancellation and six refunds")
        #expect(try RaceAudit.audit(raceId: "r-1", log: ledger.log, artifacts: ledger.artifacts).matches)

        // The same history with race r-1 opened under settlement policy 2.
        let copy = MemoryLog()
        for record in try ledger.log.read() {
            var payload = String(decoding: record.payload, as: UTF8.self)
            if record.type == RaceOpened.type && record.stream == "race.r-1" {
                payload = payload.replacingOccurrences(of: "\"settlement_policy\":1", with: "\"settlement_policy\":2")
            }
            try copy.append([EventDraft(id: record.id, type: record.type, schemaVersion: record.schemaVersion, stream: record.stream,
                                        timestampMs: record.timestampMs, correlationId: record.correlationId, causationId: record.causationId,
                                        payload: Array(payload.utf8))])
        }
        #expect {
            try RaceAudit.audit(raceId: "r-1", log: copy, artifacts: ledger.artifacts)
        } throws: { error in
            "\(error)".contains("settlement policy v2") && "\(error)".contains("this build knows v1")
        }
    }

    /// A payload without `keys`, at any depth: an event as an older version of its type wrote it.
    static func removing(_ keys: Set<String>, from value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): .object(members.filter { !keys.contains($0.key) }.map { ($0.key, removing(keys, from: $0.value)) })
        case .array(let elements): .array(elements.map { removing(keys, from: $0) })
        default: value
        }
    }

    @Test("a race ranked and settled before ranking policy v2 (race.ended v1, race.settled v2: whole basis points) audits as a match under v1, and fails when its ranks are not v1's")
    func rankedUnderPolicyOne() throws {
        let (ledger, _) = try Self.season(until: Self.origin + 13 * 3_600_000) { _ in nil }
        /// The season's log with race r-1 ranked under v1 and written as the builds before v2 wrote it
        /// (its settlement recomputed from that ranking, over the copy's own chain and tree).
        func historyRankedUnderPolicyOne(reversingRanks: Bool) throws -> MemoryLog {
            let copy = MemoryLog()
            var race = RaceState(raceId: "r-1")
            for record in try ledger.log.read() {
                var draft = EventDraft(id: record.id, type: record.type, schemaVersion: record.schemaVersion, stream: record.stream,
                                       timestampMs: record.timestampMs, correlationId: record.correlationId, causationId: record.causationId,
                                       payload: Array(record.payload))
                if record.stream == "race.r-1" {
                    var event = try EventCatalog.decode(record)
                    if let ended = event as? RaceEnded {
                        let standings = ended.results.map {
                            RaceDecider.Standing(cloneId: $0.cloneId, finalEquityE6: $0.finalEquityE6, returnBp: $0.returnBp,
                                                 maxDrawdownBp: $0.maxDrawdownBp, maxDrawdownE6: 0)
                        }
                        var results = try RankingPolicy.rank(standings, tickets: Dictionary(uniqueKeysWithValues: ended.results.map { ($0.cloneId, $0.tickets) }), policy: 1)
                        if reversingRanks { results = zip(results, results.reversed()).map { var result = $0; result.rank = $1.rank; return result } }
                        event = RaceEnded(raceId: "r-1", rankingPolicy: 1, results: results)
                        draft.schemaVersion = 1
                    } else if event is RaceSettled {
                        let size = try copy.head.sequence
                        let tree = try LogTree(log: copy, directory: nil)
                        _ = try tree.catchUp()
                        let creators = Dictionary(uniqueKeysWithValues: race.results.map { ($0.cloneId, "0x" + String(repeating: "a", count: 39) + $0.cloneId.dropFirst(2)) })
                        event = try RaceDecider.decide(.settle(creators: creators, dependsOnSequence: Int64(size),
                                                               dependsOnChain: try copy.chain(endingAt: size)?.hex ?? "",
                                                               dependsOnTreeRoot: try tree.root(size: size).hex), race)[0]
                        draft.schemaVersion = 2
                    }
                    let written = try event.draft(id: record.id, stream: record.stream, timestampMs: record.timestampMs)
                    draft.payload = event is RaceEnded || event is RaceSettled
                        ? Self.removing(["ranking_policy", "max_drawdown_e6"], from: try JSONValue.parse(written.payload)).canonicalBytes
                        : draft.payload
                    RaceDecider.apply(event, to: &race)
                }
                try copy.append([draft])
            }
            return copy
        }
        let old = try historyRankedUnderPolicyOne(reversingRanks: false)
        let ended = try #require(try old.read(stream: "race.r-1").first { $0.type == RaceEnded.type })
        #expect(ended.schemaVersion == 1 && !String(decoding: ended.payload, as: UTF8.self).contains("ranking_policy"))
        #expect(try EventCatalog.decode(ended, as: RaceEnded.self).rankingPolicy == 1)
        let report = try RaceAudit.audit(raceId: "r-1", log: old, artifacts: ledger.artifacts)
        #expect(report.matches, "\(String(describing: report.divergence))")
        let wrong = try RaceAudit.audit(raceId: "r-1", log: try historyRankedUnderPolicyOne(reversingRanks: true), artifacts: ledger.artifacts)
        #expect(!wrong.matches && wrong.divergence?.type == RaceEnded.type && wrong.divergence?.field.hasSuffix(".rank") == true)
    }

    @Test("a dispute recomputes every step from its own figures, agrees with the logged settlement, and proves each input to the recorded tree head")
    func disputeDerivation() throws {
        let (ledger, _) = try Self.season(until: Self.origin + 13 * 3_600_000) { _ in nil }
        let tree = try LogTree(log: ledger.log, directory: nil)
        let race = try Dispute.race("r-1", log: ledger.log, tree: tree)
        #expect(race.phase == "settled" && race.agreesWithLog && race.treeRootMatches)
        // The payout recomputed here from the logged events alone, by DOMAIN.md's policy v1 written
        // out again (not through `Settlement`): the lines must be the logged ones, to the wei.
        let events = try ledger.log.read(stream: "race.r-1").map { try EventCatalog.decode($0) }
        let settled = try #require(events.compactMap { $0 as? RaceSettled }.first)
        try #require(!events.contains { $0 is RacerWithdrawn }, "this race had no withdrawal (its refunds are not recomputed here)")
        let bought = events.compactMap { $0 as? TicketBought }
        let pool = bought.reduce(UInt128(0)) { $0 + $1.priceWei.value }
        let rake = pool * 500 / 10_000, creatorPool = pool * 500 / 10_000
        let holderPool = pool - rake - creatorPool
        let ticketsOn = Dictionary(grouping: bought, by: \.cloneId).mapValues { UInt128($0.count) }
        let total = UInt128(bought.count)
        var expected: [String] = []
        for result in settled.results where (ticketsOn[result.cloneId] ?? 0) > 0 {
            let creator = try ledger.cloneState(result.cloneId).creator
            expected.append("creator \(creator) \(result.cloneId) \(creatorPool * ticketsOn[result.cloneId]! / total)")
        }
        // The holder pool goes to the best rank that has tickets, split equally on a dead heat, then pro rata.
        let paidRank = try #require(settled.results.filter { (ticketsOn[$0.cloneId] ?? 0) > 0 }.map(\.rank).min())
        let winners = settled.results.filter { $0.rank == paidRank && (ticketsOn[$0.cloneId] ?? 0) > 0 }.map(\.cloneId)
        let share = holderPool / UInt128(winners.count)
        for clone in winners {
            let byHolder = Dictionary(grouping: bought.filter { $0.cloneId == clone }, by: \.holder.lowercase).mapValues { UInt128($0.count) }
            for (holder, held) in byHolder { expected.append("holder \(holder) \(clone) \(share * held / ticketsOn[clone]!)") }
        }
        let paidOut = expected.reduce(UInt128(0)) { $0 + UInt128($1.split(separator: " ").last!)! }
        let logged = settled.payouts.filter { $0.kind == "creator" || $0.kind == "holder" }
            .map { "\($0.kind) \($0.recipient) \($0.cloneId ?? "") \($0.amountWei.value)" }
        #expect(logged.sorted() == expected.sorted() && !expected.isEmpty)
        #expect(settled.poolWei.value == pool && settled.rakeWei.value == rake && settled.breakageWei.value == pool - rake - paidOut,
                "rake + creators + holders + breakage == pool")
        func value(_ step: DerivationStep, _ name: String) -> UInt128 { UInt128(step.values.first { $0.0 == name }!.1)! }
        for step in race.steps where step.name.hasPrefix("holder 0x") {
            #expect(step.wei == value(step, "holder_share") * value(step, "tickets_held") / value(step, "tickets_on_clone"))
        }
        let lines = race.lines.reduce(UInt128(0)) { $0 + $1.amountWei.value }
        #expect(lines == race.steps.first { $0.name == "pool" }!.wei)
        #expect(!race.inputs.isEmpty && race.inputs.allSatisfy { $0.proof.isValid && $0.proof.treeSize == race.treeSize && $0.proof.rootHash == race.treeRoot })
        let won = try #require(race.lines.first { $0.kind == "holder" })
        let ticketId = try #require(try ledger.log.read(stream: "race.r-1").lazy.filter { $0.type == TicketBought.type }
            .map { try EventCatalog.decode($0, as: TicketBought.self) }.first { $0.holder.lowercase == won.recipient && $0.cloneId == won.cloneId }?.ticketId)
        let ticket = try Dispute.ticket(ticketId, log: ledger.log, tree: tree)
        #expect(ticket.status == "won" && ticket.ticketWei == won.amountWei.value / UInt128(won.tickets!))
        let lost = try #require(try ledger.log.read(stream: "race.r-1").lazy.filter { $0.type == TicketBought.type }
            .map { try EventCatalog.decode($0, as: TicketBought.self) }.first { !race.paidClones.contains($0.cloneId) },
            "the race has a ticket on a clone that was not paid")
        #expect(try Dispute.ticket(lost.ticketId, log: ledger.log, tree: tree).status == "lost")
        #expect(throws: DisputeError.self) { try Dispute.ticket("r-1-t999", log: ledger.log, tree: tree) }
    }
}
