import Foundation
import Canonical

/// The registry of event types and versions: what each means, how to decode it, and how an old
/// version is upcast to the current one. Schemas are immutable once shipped: a new version never
/// edits the old one; an upcaster maps the old payload to the new shape.
public enum EventCatalog {
    /// One entry per event type and version.
    public struct Entry: Sendable {
        public let type: String
        public let version: Int
        public let summary: String
        /// Whether this is the version writers produce today.
        public let isCurrent: Bool
        /// Maps a payload of this version to the next version's payload (nil for the current one).
        let upcast: (@Sendable (JSONValue) throws -> JSONValue)?
        let decode: @Sendable (Data) throws -> any CatalogEvent

        /// The schema file's name in the bundle.
        public var schemaFile: String { Self.schemaFile(type: type, version: version) }

        static func schemaFile(type: String, version: Int) -> String { "\(type).v\(version).schema.json" }
    }

    /// Every entry, sorted by type and version.
    public static let entries: [Entry] = [
        current(MarketTick.self),
        old(CloneCreatedV1.self, upcast: CloneCreatedV1.upcast),
        old(CloneCreatedV2.self, upcast: CloneCreatedV2.upcast),
        current(CloneCreated.self),
        current(TicketBought.self),
        current(TicketRefunded.self),
        current(RaceOpened.self),
        current(RaceStarted.self),
        old(RaceEndedV1.self, upcast: RaceEndedV1.upcast),
        current(RaceEnded.self),
        current(RaceCancelled.self),
        old(RaceSettledV1.self, upcast: RaceSettledV1.upcast),
        old(RaceSettledV2.self, upcast: RaceSettledV2.upcast),
        current(RaceSettled.self),
        current(HyperliquidUniverse.self),
        current(HyperliquidAssetContexts.self),
        current(HyperliquidMids.self),
        current(HyperliquidCandles.self),
        current(HyperliquidFunding.self),
        current(HyperliquidBookSummary.self),
        current(HyperliquidCategories.self),
        current(HyperliquidSpotContexts.self),
        current(PolymarketMarkets.self),
        current(DefiLlamaProtocols.self),
        old(DefiLlamaChainTVLV1.self, upcast: DefiLlamaChainTVLV1.upcast),
        current(DefiLlamaChainTVL.self),
        current(DefiLlamaStablecoins.self),
        current(DefiLlamaThroughput.self),
        current(CloneIdentityChanged.self),
        current(CloneStrategyChanged.self),
        current(CloneRetired.self),
        current(AuditionStarted.self),
        current(AuditionDecided.self),
        current(PromotionQueued.self),
        current(PromotionWithdrawn.self),
        current(ArenaSlotAssigned.self),
        current(ArenaSlotFreed.self),
        current(RacerWithdrawn.self),
        current(RunDue.self),
        old(RunSkippedV1.self, upcast: RunSkippedV1.upcast),
        current(RunSkipped.self),
        current(ContextAssembled.self),
        old(DecisionProposedV1.self, upcast: DecisionProposedV1.upcast),
        old(DecisionProposedV2.self, upcast: DecisionProposedV2.upcast),
        current(DecisionProposed.self),
        current(GateRejected.self),
        current(OrderDryRun.self),
        old(FillV1.self, upcast: FillV1.upcast),
        current(Fill.self),
        old(FundingPaidV1.self, upcast: FundingPaidV1.upcast),
        current(FundingPaid.self),
        current(AccountMarked.self),
        current(Liquidated.self),
        current(EngineError.self),
        current(KillSwitchSet.self),
        current(ArtifactStored.self),
    ].sorted { ($0.type, $0.version) < ($1.type, $1.version) }

    /// The entry for a type and version, or nil when the catalog does not know it.
    public static func entry(type: String, version: Int) -> Entry? {
        byType[type]?.first { $0.version == version }
    }

    /// The entries of each type, for lookups on every event of a replay.
    private static let byType: [String: [Entry]] = Dictionary(grouping: entries, by: \.type)

    /// Decodes a logged event into its current version, upcasting older versions step by step.
    /// An unknown type or version, or a payload that does not fit, is an error naming its sequence.
    public static func decode(_ record: LogRecord) throws -> any CatalogEvent {
        let (entry, payload) = try upcastToCurrent(record)
        do {
            return try entry.decode(payload)
        } catch {
            throw CatalogError.badPayload(sequence: record.sequence, type: record.type, version: record.schemaVersion, reason: "\(error)")
        }
    }

    /// A logged event's payload in its type's current version (canonical bytes), with that version's
    /// entry: the record's own payload when it is current. What an older event means today.
    public static func currentPayload(_ record: LogRecord) throws -> (version: Int, payload: Data) {
        let (entry, payload) = try upcastToCurrent(record)
        return (entry.version, payload)
    }

    private static func upcastToCurrent(_ record: LogRecord) throws -> (Entry, Data) {
        guard var entry = entry(type: record.type, version: record.schemaVersion) else {
            throw CatalogError.unknownEvent(sequence: record.sequence, type: record.type, version: record.schemaVersion)
        }
        var payload = Data(record.payload)
        do {
            while let upcast = entry.upcast {
                let next = try upcast(try JSONValue.parse(payload))
                guard let newer = self.entry(type: entry.type, version: entry.version + 1) else {
                    throw CatalogError.unknownEvent(sequence: record.sequence, type: entry.type, version: entry.version + 1)
                }
                payload = Data(next.canonicalBytes)
                entry = newer
            }
            return (entry, payload)
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError.badPayload(sequence: record.sequence, type: record.type, version: record.schemaVersion, reason: "\(error)")
        }
    }

    /// Decodes a logged event as a specific current type.
    public static func decode<Event: CatalogEvent>(_ record: LogRecord, as _: Event.Type) throws -> Event {
        let event = try decode(record)
        guard let typed = event as? Event else {
            throw CatalogError.badPayload(sequence: record.sequence, type: record.type, version: record.schemaVersion,
                                          reason: "is not a \(Event.type) event")
        }
        return typed
    }

    private static func current<Event: CatalogEvent>(_ event: Event.Type) -> Entry {
        Entry(type: Event.type, version: Event.version, summary: Event.summary, isCurrent: true, upcast: nil,
              decode: { try JSONDecoder().decode(Event.self, from: $0) })
    }

    private static func old<Event: CatalogEvent>(_ event: Event.Type, upcast: @escaping @Sendable (JSONValue) throws -> JSONValue) -> Entry {
        Entry(type: Event.type, version: Event.version, summary: Event.summary, isCurrent: false, upcast: upcast,
              decode: { try JSONDecoder().decode(Event.self, from: $0) })
    }

    /// The JSON Schema text of an entry.
    public static func schema(_ entry: Entry) -> String? {
        guard let url = Bundle.module.url(forResource: String(entry.schemaFile.dropLast(".json".count)), withExtension: "json",
                                          subdirectory: "schemas") else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }
}

/// What decoding a logged event can fail at.
public enum CatalogError: Error, Sendable, CustomStringConvertible {
    case unknownEvent(sequence: UInt64, type: String, version: Int)
    case badPayload(sequence: UInt64, type: String, version: Int, reason: String)
    /// An event about to be appended that is not a current catalog event.
    case notCurrent(type: String, version: Int)
    /// An event about to be appended that breaks its schema: every problem, as `pointer: what`.
    case breaksSchema(id: String, type: String, version: Int, problems: [String])

    /// Whether an append was refused (bad input, nothing written), rather than a logged event unread.
    public var refusedAppend: Bool {
        switch self {
        case .notCurrent, .breaksSchema: true
        case .unknownEvent, .badPayload: false
        }
    }

    public var description: String {
        switch self {
        case let .unknownEvent(sequence, type, version):
            return "event \(sequence) is \(type) version \(version), which this build's catalog does not know; upgrade clash, or add the type to EventSchemas"
        case let .badPayload(sequence, type, version, reason):
            return "event \(sequence) (\(type) version \(version)) does not fit its schema: \(reason)"
        case let .notCurrent(type, version):
            return "\(type) version \(version) is not a current event of the catalog (`clash events list`); nothing was appended"
        case let .breaksSchema(id, type, version, problems):
            return "event \(id) (\(type) version \(version)) breaks its schema, so nothing was appended: \(problems.joined(separator: "; ")); `clash events schema \(type)` shows it"
        }
    }
}
