// Written the way a team embedding Clash Ledger in its own test suite would: only the public
// products `Clash` and `ClashTesting` (and GRDB to query a read model).
import Clash
import Foundation
import ClashTesting
import GRDB
import Testing

@Suite("Embedding the ledger", .timeLimit(.minutes(5)))
struct EmbeddingTests {
    @Test("a few lines: open in memory, append, project, query, replay and check the state hash")
    func embedInMemory() throws {
        let clock = ManualClock(startMilliseconds: 1_717_200_000_000)
        let ledger = try Ledger.forTesting(seed: 42, clock: clock)

        try ledger.append(type: "market.tick", stream: "market.BTC-PERP",
                          payload: ["symbol": "BTC-PERP", "mid_e8": 6_512_345_000_000, "funding_e8": 1_250, "open_interest_e2": 98_765_432_100])
        clock.advance(byMilliseconds: 61_000)
        try ledger.append(type: "market.tick", stream: "market.BTC-PERP",
                          payload: ["symbol": "BTC-PERP", "mid_e8": 6_520_000_000_000, "funding_e8": 1_300, "open_interest_e2": 98_800_000_000])

        let mid = try ledger.query("market_ticks") { db in
            try Int64.fetchOne(db, sql: "SELECT mid_e8 FROM latest_tick WHERE symbol = 'BTC-PERP'")
        }
        #expect(mid == 6_520_000_000_000)
        let candles = try ledger.query("market_ticks") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM candle WHERE interval = '1m'") }
        #expect(candles == 2)
        try ledger.verifyReplay()
    }

    @Test("the same seeded test writes the same log and the same read models, every run")
    func deterministic() throws {
        func run() throws -> (String, String) {
            let ledger = try Ledger.forTesting(seed: 7)
            try ledger.appendTicks(5_000, seed: 3)
            try ledger.append(Self.clone("c1"), stream: "clone.c1", expecting: .noStream)
            return (try ledger.head.chain.hex, try ledger.stateHash())
        }
        let first = try run()
        let second = try run()
        #expect(first == second)
    }

    @Test("a wrong expected version is refused and the read models do not change")
    func expectedVersion() throws {
        let ledger = try Ledger.forTesting()
        try ledger.append(Self.clone("c1"), stream: "clone.c1", expecting: .noStream)
        let before = try ledger.stateHash()
        #expect(throws: LogError.self) {
            try ledger.append(Self.clone("c1"), stream: "clone.c1", expecting: .noStream)
        }
        #expect(try ledger.stateHash() == before)
        #expect(try ledger.events(stream: "clone.c1").count == 1)
    }

    @Test("an event the catalog does not know, a payload that does not fit, or one that breaks its schema's constraints is refused on every append path, and nothing is written")
    func catalogGuardsAppends() throws {
        let ledger = try Ledger.forTesting()
        #expect(throws: CatalogError.self) { try ledger.append(type: "clone.created", stream: "clone.c1", payload: ["name": "A"]) }
        #expect(throws: CatalogError.self) { try ledger.append(type: "mystery.event", stream: "x", payload: [:]) }
        // A well-formed event whose values break the schema: a holder that is not an address, a negative count.
        var bad = Self.clone("c1")
        bad.creator = "0x１f9840a85d5af5bf1d1762f925bdaddc4201f984"
        do {
            try ledger.append(bad, stream: "clone.c1")
            Issue.record("a creator that is no address was appended")
        } catch let error as CatalogError {
            #expect("\(error)".contains("/creator") && "\(error)".contains("pattern"))
        }
        let draft = try bad.draft(id: "x", stream: "clone.c1", timestampMs: 1)
        #expect(throws: CatalogError.self) { try ledger.append([try Self.clone("c2").draft(id: "y", stream: "clone.c2", timestampMs: 1), draft]) }
        let cancelled = RaceCancelled(raceId: "r-1", reason: "free text, not a code")
        #expect(throws: CatalogError.self) { try ledger.append(cancelled, stream: "race.r-1") }
        #expect(try ledger.head.sequence == 0, "nothing of a refused append is written")
    }

    static func clone(_ id: String) -> CloneCreated {
        CloneCreated(cloneId: id, creator: "0x8ba1f109551bd432803012645ac136ddd64dba72",
                     identity: .init(name: "Momentum Max", avatarText: "MM", tagline: "Rides the trend"),
                     strategyHash: String(repeating: "ab", count: 32), granularity: "basic", auditionFeeWei: Wei(10_000_000_000_000_000))
    }

    @Test("a ledger on disk reopens with the same head and read models")
    func onDisk() throws {
        let directory = NSTemporaryDirectory() + "clash-embedding-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var ledger = try Ledger.open(directory: directory, fsync: .none, clock: ManualClock(), ids: SeededIds(seed: 1))
        try ledger.appendTicks(3_000)
        let head = try ledger.head
        let hash = try ledger.stateHash()
        try ledger.close()
        ledger = try Ledger.open(directory: directory, fsync: .none, clock: ManualClock(), ids: SeededIds(seed: 2))
        defer { try? ledger.close() }
        #expect(try ledger.head == head)
        #expect(try ledger.stateHash() == hash)
    }
}
