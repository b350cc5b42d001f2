import ClashCore
import EventSchemas
import Foundation
import LedgerLog
import Testing

@Suite("Event catalog", .timeLimit(.minutes(5)))
struct EventCatalogTests {
    @Test("every catalog entry has its JSON Schema, titled for its type and version, with examples")
    func schemasPresent() throws {
        for entry in EventCatalog.entries {
            let text = try #require(EventCatalog.schema(entry), "\(entry.schemaFile) is missing")
            let schema = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(schema["title"] as? String == "\(entry.type) v\(entry.version)")
            #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
            #expect(!((schema["examples"] as? [Any]) ?? []).isEmpty)
        }
    }

    @Test("every schema example decodes into its Swift type and encodes back to the same canonical bytes")
    func examplesRoundTrip() throws {
        for entry in EventCatalog.entries {
            let schema = try JSONSerialization.jsonObject(with: Data(try #require(EventCatalog.schema(entry)).utf8)) as! [String: Any]
            for example in schema["examples"] as! [Any] {
                let bytes = try CanonicalJSON.canonicalize(Array(try JSONSerialization.data(withJSONObject: example)))
                let record = LogRecord(sequence: 1, streamVersion: 1, draft: EventDraft(
                    id: "x", type: entry.type, schemaVersion: entry.version, stream: "s", timestampMs: 0, payload: bytes))
                let event = try EventCatalog.decode(record)
                if entry.isCurrent {
                    #expect(try event.canonicalPayload() == bytes, "\(entry.schemaFile)")
                }
            }
        }
    }

    @Test("a v1 clone.created written to a log reads back as the current version through both upcasters")
    func upcastsOldVersions() throws {
        let directory = NSTemporaryDirectory() + "clash-catalog-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let old = CloneCreatedV1(cloneId: "c-1", creator: "0x8ba1f109551bd432803012645ac136ddd64dba72", name: "Momentum Max",
                                 avatarText: "MM", tagline: "Rides the trend", strategyHash: String(repeating: "ab", count: 32),
                                 feeWei: Wei(10_000_000_000_000_000))
        let log = try FileLog.open(directory: directory, options: FileLogOptions(fsync: .none))
        try log.append([try old.draft(id: "e1", stream: "clone.c-1", timestampMs: 1_717_200_000_000)])
        try log.close()

        let record = try LogReader(directory: directory).read().first!
        #expect(record.schemaVersion == 1)
        let current = try EventCatalog.decode(record, as: CloneCreated.self)
        #expect(current == CloneCreated(cloneId: "c-1", creator: old.creator,
                                        identity: .init(name: "Momentum Max", avatarText: "MM", tagline: "Rides the trend"),
                                        strategyHash: old.strategyHash, granularity: "power", auditionFeeWei: Wei(10_000_000_000_000_000)))
    }

    @Test("events whose payloads are written by hand give the canonical encoder's bytes, with and without their optional members")
    func handWrittenPayloads() throws {
        let hash = String(repeating: "ab", count: 32)
        let events: [any CatalogEvent] = [
            RunDue(cloneId: "c-1", runId: "r \"1\"", asset: "BTC", competitionKind: "race", competitionId: "r-7", cadenceMs: 60_000),
            ContextAssembled(runId: "r", packetHash: hash, throughSequence: 77, bytes: 3_528),
            GateRejected(runId: "r", gate: "leverage", detail: "6 is above 5\n"),
            OrderDryRun(runId: "r", orderId: "o", asset: "xyz:TSLA", side: "sell", sizeE8: 5, leverage: 3, reduceOnly: true),
            DecisionProposed(runId: "r", engine: "model", engineVersion: 1, action: "open_short", sizeUsdE6: 1, sizeE8: 2, leverage: 3,
                             stopLossE8: 4, takeProfitE8: 5, confidenceBp: 6, reason: "é", promptHash: hash, exchangeHash: hash, holdCause: "timeout"),
            DecisionProposed(runId: "r", engine: "hold", engineVersion: 1, action: "hold", leverage: 0, confidenceBp: 0, reason: ""),
            Fill(orderId: "o", cloneId: "c", competitionId: "k", asset: "BTC", side: "buy", cause: "stop_loss", sizeE8: 1, priceE8: 2,
                 notionalE6: 3, feeE6: 4, midE8: 5, midSequence: 6, spreadBp: 7, spreadSequence: 8, slippageCentiBp: 9, fillPolicy: 1),
            Fill(orderId: "o", cloneId: "c", asset: "BTC", side: "sell", sizeE8: 1, priceE8: 2, feeE6: 4, fillPolicy: 1),
        ]
        for event in events {
            #expect(try event.canonicalPayload() == CanonicalEncoder.encode(event), "\(type(of: event))")
        }
    }

    @Test("runtime v1 events read as v2: funding's rate to 10^12 and its amount as the cash change; a decision keeps its coins")
    func runtimeUpcasts() throws {
        let funding = FundingPaidV1(cloneId: "c-1", asset: "BTC", positionE8: 100_000_000, oraclePxE8: 6_500_000_000_000, rateE8: 1_250,
                                    amountE6: 812_500)
        let fundingRecord = LogRecord(sequence: 5, streamVersion: 1, draft: try funding.draft(id: "f", stream: "account.c-1", timestampMs: 0))
        let upcast = try EventCatalog.decode(fundingRecord, as: FundingPaid.self)
        #expect(upcast.rateE12 == 12_500_000 && upcast.amountE6 == -812_500 && upcast.competitionId == nil)
        let decision = DecisionProposedV1(runId: "r", engine: "model", action: "open_long", sizeE8: 1_538_307, leverage: nil, stopLossE8: nil,
                                          takeProfitE8: nil, confidenceBp: 6_200, reason: "trend", responseHash: String(repeating: "ab", count: 32),
                                          holdCause: nil)
        let decisionRecord = LogRecord(sequence: 6, streamVersion: 1, draft: try decision.draft(id: "d", stream: "run.c-1", timestampMs: 0))
        let read = try EventCatalog.decode(decisionRecord, as: DecisionProposed.self)
        #expect(read.sizeE8 == 1_538_307 && read.sizeUsdE6 == nil && read.engineVersion == 0 && read.leverage == 0)
        #expect(read.exchangeHash == String(repeating: "ab", count: 32))
    }

    @Test("an unknown type or version is an error naming the event's sequence, not a silent skip")
    func unknownEvents() {
        let record = LogRecord(sequence: 77, streamVersion: 1, draft: EventDraft(
            id: "x", type: "clone.created", schemaVersion: 9, stream: "s", timestampMs: 0, payload: Array("{}".utf8)))
        #expect(throws: CatalogError.self) { try EventCatalog.decode(record) }
        do { _ = try EventCatalog.decode(record) } catch { #expect("\(error)".contains("event 77")) }
        let bad = LogRecord(sequence: 78, streamVersion: 1, draft: EventDraft(
            id: "y", type: "ticket.bought", schemaVersion: 1, stream: "s", timestampMs: 0, payload: Array(#"{"price_wei":"01"}"#.utf8)))
        do {
            _ = try EventCatalog.decode(bad)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("event 78"))
        }
    }

    @Test("wei amounts are exact 128-bit decimal strings, and malformed ones are refused")
    func weiIsExact() throws {
        let big = Wei(UInt128.max)
        let encoded = try JSONEncoder().encode([big])
        #expect(String(decoding: encoded, as: UTF8.self) == "[\"340282366920938463463374607431768211455\"]")
        #expect(try JSONDecoder().decode([Wei].self, from: encoded) == [big])
        for text in ["", "01", "-1", "1.5", "1e18", "340282366920938463463374607431768211456"] {
            #expect(Wei(decimal: text) == nil, "\(text)")
        }
    }
}
