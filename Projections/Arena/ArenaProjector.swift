import ClashCore
import Domain
import EventSchemas
import GRDB
import LedgerLog

/// The `arena` read model: auditions, slots and queue, races, racers, tickets, payout lines and
/// careers (the Hall of Fame). Leaderboards are queries over it: a race's by rank; all time by
/// wins, then podiums, then cumulative gain (exact), then clone id. Returns are computed from the
/// exact equities and rounded only for display. A value it cannot read (a wei amount that is not a
/// decimal, a refund of a ticket it never saw) stops the fold with an error naming the sequence.
public struct ArenaProjector: Projector {
    public let name = "arena"
    public let version = 2
    public let schemaSQL = Resources.sql("arena")
    public let eventTypes: Set<String>? = [
        CloneCreated.type, CloneRetired.type, AuditionStarted.type, AuditionDecided.type, PromotionQueued.type, PromotionWithdrawn.type,
        ArenaSlotAssigned.type, ArenaSlotFreed.type, RaceOpened.type, TicketBought.type, RacerWithdrawn.type, TicketRefunded.type,
        RaceStarted.type, RaceEnded.type, RaceSettled.type, RaceCancelled.type,
    ]

    public init() {}

    public func makeFold(_ db: Database) throws -> any ProjectorFold { Fold(db: db) }

    struct Fold: ProjectorFold {
        let db: Database

        func run(_ sql: String, _ arguments: StatementArguments) throws {
            try db.cachedStatement(sql: sql).execute(arguments: arguments)
        }

        mutating func apply(_ record: LogRecord) throws {
            let event: any CatalogEvent
            do {
                event = try EventCatalog.decode(record)
            } catch {
                throw ProjectionError.badEvent(projector: "arena", sequence: record.sequence, type: record.type, reason: "\(error)")
            }
            let at = record.timestampMs
            switch event {
            case let created as CloneCreated:
                try run("""
                    INSERT INTO career (clone_id, creator, name, status, created_ms, races, wins, podiums, last_places, cumulative_gain_e6,
                                        cumulative_return_bp, tickets_backed, holder_earnings_wei, creator_earnings_wei)
                    VALUES (?, ?, ?, 'created', ?, 0, 0, 0, 0, 0, 0, 0, '0', '0')
                    """, [created.cloneId, created.creator, created.identity.name, at])
            case let retired as CloneRetired:
                try run("UPDATE career SET retired_ms = ?, retired_reason = ? WHERE clone_id = ?", [at, retired.reason, retired.cloneId])
            case let started as AuditionStarted:
                try run("INSERT OR REPLACE INTO audition (clone_id, audition_id, from_ms, to_ms, policy) VALUES (?, ?, ?, ?, ?)",
                        [started.cloneId, started.auditionId, started.fromMs, started.toMs, started.policy])
            case let decided as AuditionDecided:
                try run("""
                    UPDATE audition SET passed = ?, decisions = ?, failed_decisions = ?, min_decisions_per_asset_hour = ?, max_drawdown_bp = ?,
                                        return_bp = ?, failures = ? WHERE clone_id = ?
                    """, [decided.passed, decided.decisions, decided.failedDecisions, decided.minDecisionsPerAssetHour, decided.maxDrawdownBp,
                          decided.returnBp, decided.failures.joined(separator: ","), decided.cloneId])
            case let queued as PromotionQueued:
                try run("INSERT OR REPLACE INTO arena_queue VALUES (?, ?, ?)", [queued.cloneId, queued.passedMs, at])
            case let withdrawn as PromotionWithdrawn:
                try run("DELETE FROM arena_queue WHERE clone_id = ?", [withdrawn.cloneId])
            case let assigned as ArenaSlotAssigned:
                try run("DELETE FROM arena_queue WHERE clone_id = ?", [assigned.cloneId])
                try run("INSERT OR REPLACE INTO arena_slot VALUES (?, ?, ?)", [assigned.slot, assigned.cloneId, at])
            case let freed as ArenaSlotFreed:
                try run("DELETE FROM arena_slot WHERE slot = ? AND clone_id = ?", [freed.slot, freed.cloneId])
            case let opened as RaceOpened:
                let number = try Int64.fetchOne(db, sql: "SELECT count(*) FROM race") ?? 0
                try run("""
                    INSERT INTO race (race_id, number, phase, opened_ms, duration_ms, ticket_price_wei, starting_equity_e6, settlement_policy,
                                      tickets, pool_wei) VALUES (?, ?, 'accumulating', ?, ?, ?, ?, ?, 0, '0')
                    """, [opened.raceId, number + 1, at, opened.durationMs, opened.ticketPriceWei.description, opened.startingEquityE6,
                          opened.settlementPolicy])
                for (lane, clone) in opened.cloneIds.enumerated() {
                    try run("INSERT INTO racer (race_id, clone_id, lane, withdrawn, tickets) VALUES (?, ?, ?, 0, 0)", [opened.raceId, clone, lane + 1])
                }
            case let ticket as TicketBought:
                try run("INSERT INTO ticket VALUES (?, ?, ?, ?, ?, ?, ?, 'open', NULL)",
                        [ticket.ticketId, ticket.raceId, ticket.cloneId, ticket.holder.lowercase, ticket.priceWei.description, at, Int64(record.sequence)])
                try tickets(race: ticket.raceId, clone: ticket.cloneId, by: 1, priceWei: ticket.priceWei, record)
            case let refund as TicketRefunded:
                guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT clone_id, price_wei FROM ticket WHERE ticket_id = ?"),
                                                 arguments: [refund.ticketId]) else {
                    throw unreadable(record, field: "ticket_id", "refunds ticket \(refund.ticketId), which no ticket.bought before it names")
                }
                try run("UPDATE ticket SET status = 'refunded', refunded_ms = ? WHERE ticket_id = ?", [at, refund.ticketId])
                try tickets(race: refund.raceId, clone: row["clone_id"], by: -1, priceWei: try wei(row["price_wei"], record, field: "ticket.price_wei"),
                            record)
            case let withdrawn as RacerWithdrawn:
                try run("UPDATE racer SET withdrawn = 1 WHERE race_id = ? AND clone_id = ?", [withdrawn.raceId, withdrawn.cloneId])
            case let started as RaceStarted:
                try run("UPDATE race SET phase = 'running', started_ms = ? WHERE race_id = ?", [at, started.raceId])
            case let ended as RaceEnded:
                try run("UPDATE race SET phase = 'ended', ended_ms = ?, winner = ? WHERE race_id = ?", [at, ended.results.first?.cloneId, ended.raceId])
                guard let start = try Int64.fetchOne(db.cachedStatement(sql: "SELECT starting_equity_e6 FROM race WHERE race_id = ?"),
                                                     arguments: [ended.raceId]) else {
                    throw unreadable(record, field: "race_id", "ends race \(ended.raceId), which no race.opened before it names")
                }
                for result in ended.results {
                    let gain = result.finalEquityE6 - start
                    try run("""
                        UPDATE racer SET rank = ?, final_equity_e6 = ?, gain_e6 = ?, return_bp = ?, max_drawdown_bp = ?, max_drawdown_e6 = ?
                        WHERE race_id = ? AND clone_id = ?
                        """, [result.rank, result.finalEquityE6, gain, PaperAccount.basisPoints(gain, of: start), result.maxDrawdownBp, result.maxDrawdownE6,
                              ended.raceId, result.cloneId])
                    let isLast = RankingPolicy.isLastPlace(result, in: ended.results)
                    guard let career = try Row.fetchOne(db.cachedStatement(sql: "SELECT best_gain_e6, cumulative_gain_e6 FROM career WHERE clone_id = ?"),
                                                        arguments: [result.cloneId]) else {
                        throw unreadable(record, field: "results.clone_id", "ranks clone \(result.cloneId), which no clone.created before it names")
                    }
                    let best = max(career["best_gain_e6"] ?? gain, gain)
                    let cumulative: Int64 = career["cumulative_gain_e6"] + gain
                    try run("""
                        UPDATE career SET races = races + 1, wins = wins + ?, podiums = podiums + ?, last_places = last_places + ?,
                               best_gain_e6 = ?, cumulative_gain_e6 = ?, best_return_bp = ?, cumulative_return_bp = ?
                        WHERE clone_id = ?
                        """, [result.rank == 1 ? 1 : 0, result.rank <= 3 ? 1 : 0, isLast ? 1 : 0, best, cumulative,
                              PaperAccount.basisPoints(best, of: start), PaperAccount.basisPoints(cumulative, of: start), result.cloneId])
                }
            case let settled as RaceSettled:
                try run("""
                    UPDATE race SET phase = 'settled', settled_ms = ?, rake_wei = ?, creator_pool_wei = ?, holder_pool_wei = ?, breakage_wei = ?,
                           depends_on_sequence = ?, settled_sequence = ? WHERE race_id = ?
                    """, [at, settled.rakeWei.description, settled.creatorPoolWei.description, settled.holderPoolWei.description,
                          settled.breakageWei.description, settled.dependsOnSequence, Int64(record.sequence), settled.raceId])
                var paidClones = Set<String>()
                for (index, line) in settled.payouts.enumerated() {
                    try run("INSERT INTO payout VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [settled.raceId, index + 1, line.kind, line.recipient, line.cloneId, line.tickets, line.amountWei.description])
                    guard let clone = line.cloneId else { continue }
                    let column = line.kind == "holder" ? "holder_earnings_wei" : "creator_earnings_wei"
                    if line.kind == "holder" { paidClones.insert(clone) }
                    try addWei(clone, column: column, line.amountWei, record)
                }
                try run("UPDATE ticket SET status = 'lost' WHERE race_id = ? AND status = 'open'", [settled.raceId])
                for clone in paidClones {
                    try run("UPDATE ticket SET status = 'won' WHERE race_id = ? AND clone_id = ? AND status = 'lost'", [settled.raceId, clone])
                }
            case let cancelled as RaceCancelled:
                try run("UPDATE race SET phase = 'cancelled', cancelled_reason = ? WHERE race_id = ?", [cancelled.reason, cancelled.raceId])
            default:
                break
            }
            if let (cloneId, next) = CloneStatus.transition(event), !(event is CloneCreated) {
                guard let text = try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM career WHERE clone_id = ?"), arguments: [cloneId]),
                      let status = CloneStatus(rawValue: text) else {
                    throw unreadable(record, field: "clone_id", "moves clone \(cloneId), which has no career with a known status")
                }
                try run("UPDATE career SET status = ? WHERE clone_id = ?", [status.moved(to: next).rawValue, cloneId])
            }
        }

        func tickets(race: String, clone: String, by change: Int, priceWei: Wei, _ record: LogRecord) throws {
            guard let text = try String.fetchOne(db.cachedStatement(sql: "SELECT pool_wei FROM race WHERE race_id = ?"), arguments: [race]) else {
                throw unreadable(record, field: "race_id", "names race \(race), which no race.opened before it names")
            }
            let pool = try wei(text, record, field: "race.pool_wei")
            guard change > 0 || pool.value >= priceWei.value else {
                throw unreadable(record, field: "amount_wei", "refunds \(priceWei) wei from race \(race)'s pool of \(pool) wei")
            }
            let next = change > 0 ? pool.value + priceWei.value : pool.value - priceWei.value
            try run("UPDATE race SET tickets = tickets + ?, pool_wei = ? WHERE race_id = ?", [change, String(next), race])
            try run("UPDATE racer SET tickets = tickets + ? WHERE race_id = ? AND clone_id = ?", [change, race, clone])
            try run("UPDATE career SET tickets_backed = tickets_backed + ? WHERE clone_id = ?", [change, clone])
        }

        func addWei(_ clone: String, column: String, _ amount: Wei, _ record: LogRecord) throws {
            guard let text = try String.fetchOne(db.cachedStatement(sql: "SELECT \(column) FROM career WHERE clone_id = ?"), arguments: [clone]) else {
                throw unreadable(record, field: "payouts.clone_id", "pays for clone \(clone), which no clone.created before it names")
            }
            let current = try wei(text, record, field: "career.\(column)")
            try run("UPDATE career SET \(column) = ? WHERE clone_id = ?", [String(current.value + amount.value), clone])
        }

        /// A wei amount the read model holds, or an error naming the event being folded and the field.
        func wei(_ text: String, _ record: LogRecord, field: String) throws -> Wei {
            guard let amount = Wei(decimal: text) else { throw unreadable(record, field: field, "reads \(text.debugDescription), which is not a decimal wei amount") }
            return amount
        }

        func unreadable(_ record: LogRecord, field: String, _ reason: String) -> ProjectionError {
            .badEvent(projector: "arena", sequence: record.sequence, type: record.type, reason: "\(field): \(reason)")
        }

        mutating func flush() throws {}
    }
}
