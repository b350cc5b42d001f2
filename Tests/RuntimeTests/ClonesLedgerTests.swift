import Clash
import ClashTesting
import Foundation
import GRDB
import Market
import Testing

/// A ledger holding a few hours of a seeded synthetic market and the category mapping.
func marketLedger(seed: UInt64 = 7, assets: Int = 6, hours: Int = 3, marketVersion: Int = SyntheticMarket.currentVersion) throws -> Ledger {
    let clock = ManualClock(startMilliseconds: 1_717_200_000_000 + Int64(hours) * 3_600_000)
    let ledger = try Ledger.forTesting(seed: seed, clock: clock)
    try ledger.append([try CategoryMapping.event().draft(id: "categories", stream: "source.hyperliquid", timestampMs: 1_717_200_000_000)])
    var drafts: [EventDraft] = []
    for draft in SyntheticMarket(seed: seed, assets: assets, hours: hours, version: marketVersion) {
        drafts.append(draft)
        if drafts.count == 10_000 { try ledger.append(drafts); drafts.removeAll() }
    }
    if !drafts.isEmpty { try ledger.append(drafts) }
    return ledger
}

@Suite("clones in a ledger", .timeLimit(.minutes(5)))
struct ClonesLedgerTests {
    static let owner = "0x8ba1f109551bd432803012645ac136ddd64dba72"
    static let identity = CloneCreated.Identity(name: "Momentum Max", avatarText: "MM", tagline: "Rides the trend")

    @Test("a created clone's graph is in the artifact store, its hash in the event and the clones read model")
    func create() throws {
        let ledger = try marketLedger()
        let graph = StrategyGraph.basic(category: "Crypto/Layer 1", prompt: "secret sauce", risk: "low")
        let created = try ledger.createClone(owner: Self.owner, identity: Self.identity, graph: graph)
        let hash = try graph.hash()
        #expect(created.cloneId == "c-1" && created.strategyHash == hash)
        #expect(try ledger.strategy(of: "c-1") == graph)
        let row = try #require(try ledger.query("clones") { try Row.fetchOne($0, sql: "SELECT * FROM clone") })
        #expect(row["owner"] as String == Self.owner && row["granularity"] as String == "basic" && row["status"] as String == "created")
        #expect(row["audition_fee_wei"] as String == "10000000000000000")
        let second = try ledger.createClone(owner: Self.owner, identity: Self.identity, graph: graph.convertedUp())
        #expect(second.cloneId == "c-2")
        try ledger.retireClone("c-1", owner: Self.owner)
        #expect(try ledger.query("clones") { try String.fetchOne($0, sql: "SELECT status FROM clone WHERE clone_id = 'c-1'") } == "retired")
        try ledger.verifyReplay()
    }

    @Test("a refused command writes nothing: no event, no artifact")
    func refusals() throws {
        let ledger = try marketLedger()
        let head = try ledger.head.sequence
        var graph = StrategyGraph.basic(assets: ["NOPE"], prompt: "p")
        #expect(throws: GraphProblems.self) { try ledger.createClone(owner: Self.owner, identity: Self.identity, graph: graph) }
        #expect(try !ledger.artifacts.contains(try graph.hash()))
        graph = StrategyGraph.basic(assets: ["BTC"], prompt: "p")
        #expect(throws: DomainError.self) { try ledger.createClone(owner: "0xnope", identity: Self.identity, graph: graph) }
        #expect(try !ledger.artifacts.contains(try graph.hash()))
        #expect(try ledger.head.sequence == head)
        try ledger.createClone(id: "alpha", owner: Self.owner, identity: Self.identity, graph: graph)
        #expect { try ledger.createClone(id: "alpha", owner: Self.owner, identity: Self.identity, graph: graph) } throws: {
            ($0 as? DomainError)?.code == "clone.exists"
        }
        #expect { try ledger.retireClone("alpha", owner: "0x0000000000000000000000000000000000000001") } throws: {
            ($0 as? DomainError)?.code == "clone.not_owner"
        }
        #expect(try ledger.head.sequence == head + 1)
    }

    @Test("a decision from a stale state is a typed conflict, nothing written")
    func conflict() throws {
        let ledger = try marketLedger()
        let graph = StrategyGraph.basic(assets: ["BTC"], prompt: "p")
        try ledger.createClone(id: "alpha", owner: Self.owner, identity: Self.identity, graph: graph)
        let stale = try ledger.cloneState("alpha")
        try ledger.changeIdentity("alpha", owner: Self.owner, identity: .init(name: "Renamed", avatarText: "", tagline: ""))
        let events = try CloneDecider.decide(.retire(by: Self.owner), stale)
        let drafts = try events.map { try $0.event.draft(id: "late", stream: "clone.alpha", timestampMs: 0) }
        #expect(throws: LogError.self) { try ledger.append(drafts, expectations: ["clone.alpha": .exactly(stale.version)]) }
        #expect(try !ledger.cloneState("alpha").retired)
    }
}
