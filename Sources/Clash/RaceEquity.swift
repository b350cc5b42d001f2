import Domain
import GRDB
import LedgerLog

/// Each racer's marked equity per minute of a race: its account folded from the log (fills,
/// funding, liquidations — `PaperAccount.applying(logged:)`, the rule every account follows) and
/// marked at each minute's close of the assets it holds (the market-ticks read model's 1-minute
/// candles, the last known close carried forward; a position in an asset without candles is
/// marked at its entry). From the race's start to its end, or to the newest minute while it runs.
public struct RaceEquity: Sendable, Equatable {
    public struct Curve: Sendable, Equatable {
        public var cloneId: String
        /// (time in ms, equity in USDC × 10^6) at each minute from the start: what the account holds
        /// after that minute's events, marked at the last tick at or before it.
        public var points: [(ms: Int64, equityE6: Int64)]

        public static func == (lhs: Curve, rhs: Curve) -> Bool {
            lhs.cloneId == rhs.cloneId && lhs.points.elementsEqual(rhs.points) { $0.ms == $1.ms && $0.equityE6 == $1.equityE6 }
        }
    }

    public var raceId: String
    public var startingEquityE6: Int64
    public var curves: [Curve]

    static let minuteMs: Int64 = 60_000

    /// The curves of `raceId` (no points before it starts); `race.unknown` when no race has the id.
    static func of(_ raceId: String, queries: Queries, log: any LogReading) throws -> RaceEquity {
        let details = try queries.race(raceId)
        let starting = details.race.int("starting_equity_e6") ?? PaperAccount.startingEquityDefaultE6
        let racers = details.racers.compactMap { $0.string("clone_id") }
        guard let start = details.race.int("started_ms") else {
            return RaceEquity(raceId: raceId, startingEquityE6: starting, curves: racers.map { Curve(cloneId: $0, points: []) })
        }
        let accounts = try racers.map { clone in
            try log.read(stream: Streams.account(clone: clone, competition: raceId)).map { (event: try EventCatalog.decode($0), ms: $0.timestampMs) }
        }
        let symbols = Set(accounts.joined().compactMap { ($0.event as? Fill)?.asset })
        let closes = try queries.minuteCloses(symbols: symbols.sorted(), from: start, through: details.race.int("ended_ms") ?? .max)
        let end = details.race.int("ended_ms") ?? max(start, closes.last?.openMs ?? start)
        var curves: [Curve] = []
        for (clone, events) in zip(racers, accounts) {
            var account = PaperAccount(startingEquityE6: starting)
            var marks: [String: Int64] = [:]
            var nextEvent = 0, nextClose = 0
            var points: [(ms: Int64, equityE6: Int64)] = []
            var time = start
            while time <= end {
                while nextEvent < events.count, events[nextEvent].ms <= time {
                    account = account.applying(logged: events[nextEvent].event, leverage: { _ in 1 })
                    nextEvent += 1
                }
                while nextClose < closes.count, closes[nextClose].openMs <= time {
                    marks[closes[nextClose].symbol] = closes[nextClose].closeE8
                    nextClose += 1
                }
                points.append((time, account.equityE6(marks: marks)))
                time += minuteMs
            }
            curves.append(Curve(cloneId: clone, points: points))
        }
        return RaceEquity(raceId: raceId, startingEquityE6: starting, curves: curves)
    }

    /// `{"race_id", "starting_equity_e6", "curves": [{"clone_id", "points": [[ms, equity_e6], …]}]}`.
    public var canonicalJSON: [UInt8] {
        var json = CanonicalJSONWriter()
        json.beginObject()
        json.key("curves"); json.beginArray()
        for curve in curves {
            json.beginObject()
            json.key("clone_id"); json.string(curve.cloneId)
            json.key("points"); json.beginArray()
            for point in curve.points {
                json.beginArray()
                json.int(point.ms)
                json.int(point.equityE6)
                json.endArray()
            }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.key("race_id"); json.string(raceId)
        json.key("starting_equity_e6"); json.int(startingEquityE6)
        json.endObject()
        return json.bytes
    }
}

extension Queries {
    /// The 1-minute closes of `symbols` from `from` through `through`, in time order.
    func minuteCloses(symbols: [String], from: Int64, through: Int64) throws -> [(openMs: Int64, symbol: String, closeE8: Int64)] {
        guard !symbols.isEmpty else { return [] }
        return try access.read("market_ticks") { db in
            let placeholders = symbols.map { _ in "?" }.joined(separator: ",")
            return try Row.fetchAll(db, sql: """
                SELECT c.open_ms, s.symbol, c.close_e8 FROM candle_1m AS c JOIN symbol AS s ON s.id = c.symbol_id
                WHERE s.symbol IN (\(placeholders)) AND c.open_ms >= ? AND c.open_ms <= ? ORDER BY c.open_ms, s.symbol
                """, arguments: StatementArguments(symbols + [from - RaceEquity.minuteMs, through])).map { ($0[0], $0[1], $0[2]) }
        }
    }
}

extension ReadOnlyLedger {
    /// Each racer's marked equity per minute of a race (`RaceEquity`).
    public func raceEquity(_ raceId: String) throws -> RaceEquity { try RaceEquity.of(raceId, queries: queries, log: log) }
}

extension Ledger {
    /// Each racer's marked equity per minute of a race (`RaceEquity`).
    public func raceEquity(_ raceId: String) throws -> RaceEquity { try RaceEquity.of(raceId, queries: queries, log: log) }
}
