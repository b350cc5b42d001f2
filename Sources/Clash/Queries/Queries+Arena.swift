import ClashCore
import Domain

/// A race as `races show` gives it: its figures, its racers by rank, its payout lines.
public struct RaceDetails: Sendable {
    public var race: QueryRow
    public var racers: [QueryRow]
    public var payouts: [QueryRow]
}

/// A holder's tickets and what they were paid.
public struct HolderTickets: Sendable {
    public var tickets: [QueryRow]
    public var payouts: [QueryRow]
}

extension Queries {
    /// The arena's slots and who holds them.
    public func arenaSlots() throws -> [QueryRow] {
        try access.read("arena") { try QueryRow.fetchAll($0, "SELECT slot, s.clone_id, c.name, since_ms FROM arena_slot s JOIN career c USING (clone_id) ORDER BY slot") }
    }

    /// The clones waiting for a slot, first come first.
    public func arenaQueue() throws -> [QueryRow] {
        try access.read("arena") {
            try QueryRow.fetchAll($0, "SELECT q.clone_id, c.name, passed_ms FROM arena_queue q JOIN career c USING (clone_id) ORDER BY passed_ms, length(q.clone_id), q.clone_id")
        }
    }

    /// The races accumulating, running or ended and not yet settled.
    public func racesUnderWay() throws -> [QueryRow] {
        try access.read("arena") {
            try QueryRow.fetchAll($0, "SELECT race_id, phase, opened_ms, started_ms, tickets, pool_wei FROM race WHERE phase IN ('accumulating', 'running', 'ended') ORDER BY number")
        }
    }

    /// Every race, in order.
    public func races() throws -> [QueryRow] {
        try access.read("arena") { try QueryRow.fetchAll($0, "SELECT race_id, phase, opened_ms, started_ms, ended_ms, tickets, pool_wei, winner FROM race ORDER BY number") }
    }

    /// One race; `race.unknown` when no race has the id.
    public func race(_ raceId: String) throws -> RaceDetails {
        try access.read("arena") { db in
            guard let race = try QueryRow.fetchAll(db, "SELECT * FROM race WHERE race_id = ?", [raceId]).first else {
                throw DomainError("race.unknown", "no race has id \(raceId); `clash races list` shows the races")
            }
            return RaceDetails(
                race: race,
                racers: try QueryRow.fetchAll(db, """
                    SELECT lane, clone_id, withdrawn, tickets, rank, final_equity_e6, gain_e6, return_bp, max_drawdown_bp, max_drawdown_e6
                    FROM racer WHERE race_id = ? ORDER BY coalesce(rank, 1000000), lane
                    """, [raceId]),
                payouts: try QueryRow.fetchAll(db, "SELECT line, kind, recipient, clone_id, tickets, amount_wei FROM payout WHERE race_id = ? ORDER BY line", [raceId]))
        }
    }

    /// A race's ranking (ranked racers only, best first).
    public func raceRanking(_ raceId: String) throws -> [QueryRow] {
        try access.read("arena") {
            try QueryRow.fetchAll($0, """
                SELECT rank, clone_id, return_bp, max_drawdown_bp, final_equity_e6, gain_e6, max_drawdown_e6, tickets FROM racer
                WHERE race_id = ? AND rank IS NOT NULL ORDER BY rank, clone_id
                """, [raceId])
        }
    }

    /// The running race `cloneId` races in (not withdrawn), nil when it races in none.
    public func runningRace(of cloneId: String) throws -> String? {
        try access.read("arena") {
            try QueryRow.fetchAll($0, "SELECT race_id FROM racer JOIN race USING (race_id) WHERE clone_id = ? AND phase = 'running' AND withdrawn = 0",
                                  [cloneId]).first?.string("race_id")
        }
    }

    /// The newest settled race's id, nil before the first settlement.
    public func lastSettledRace() throws -> String? {
        try access.read("arena") { try QueryRow.fetchAll($0, "SELECT race_id FROM race WHERE phase = 'settled' ORDER BY number DESC LIMIT 1").first?.string("race_id") }
    }

    /// A race's settlement figures (nil for an unknown race).
    public func settlement(_ raceId: String) throws -> QueryRow? {
        try access.read("arena") {
            try QueryRow.fetchAll($0, "SELECT pool_wei, rake_wei, creator_pool_wei, holder_pool_wei, breakage_wei, depends_on_sequence FROM race WHERE race_id = ?",
                                  [raceId]).first
        }
    }

    /// How many payout lines a race's settlement has.
    public func payoutLineCount(_ raceId: String) throws -> Int {
        try access.read("arena") { try QueryRow.fetchAll($0, "SELECT count(*) AS lines FROM payout WHERE race_id = ?", [raceId]).first?.int("lines").map(Int.init) ?? 0 }
    }

    /// A holder's tickets (in the order bought) and the payouts they earned.
    public func tickets(holder: Address) throws -> HolderTickets {
        try access.read("arena") { db in
            HolderTickets(
                tickets: try QueryRow.fetchAll(db, "SELECT ticket_id, race_id, clone_id, price_wei, status, bought_ms FROM ticket WHERE holder = ? ORDER BY bought_ms, ticket_id",
                                               [holder.lowercase]),
                payouts: try QueryRow.fetchAll(db, "SELECT race_id, clone_id, tickets, amount_wei FROM payout WHERE recipient = ? AND kind = 'holder' ORDER BY race_id",
                                               [holder.lowercase]))
        }
    }

    /// One ticket: its race, clone, holder, price, status (open, won, lost, refunded), times and
    /// log position; `ticket.unknown` when no ticket has the id.
    public func ticket(_ ticketId: String) throws -> QueryRow {
        try access.read("arena") { db in
            let sql = "SELECT ticket_id, race_id, clone_id, holder, price_wei, status, bought_ms, refunded_ms, sequence FROM ticket WHERE ticket_id = ?"
            guard let row = try QueryRow.fetchAll(db, sql, [ticketId]).first else {
                throw DomainError("ticket.unknown", "no ticket has id \(ticketId); GET /v1/tickets?holder=ADDRESS lists a holder's tickets")
            }
            return row
        }
    }

    /// The all-time leaderboard: wins, then podiums, then cumulative gain (exact), then clone id.
    public func leaderboard(limit: Int? = nil) throws -> [QueryRow] {
        try access.read("arena") {
            try QueryRow.fetchAll($0, """
                SELECT clone_id, name, status, races, wins, podiums, cumulative_return_bp, best_return_bp, cumulative_gain_e6 FROM career WHERE races > 0
                ORDER BY wins DESC, podiums DESC, cumulative_gain_e6 DESC, clone_id
                """ + (limit.map { " LIMIT \($0)" } ?? ""))
        }
    }

    /// Every clone's career, retired ones included, in the leaderboard's order.
    public func hallOfFame(limit: Int? = nil) throws -> [QueryRow] {
        try access.read("arena") {
            try QueryRow.fetchAll($0, """
                SELECT clone_id, name, status, races, wins, podiums, best_return_bp, cumulative_return_bp, best_gain_e6, cumulative_gain_e6,
                       tickets_backed, holder_earnings_wei, retired_reason FROM career ORDER BY wins DESC, podiums DESC, cumulative_gain_e6 DESC, clone_id
                """ + (limit.map { " LIMIT \($0)" } ?? ""))
        }
    }
}

extension Queries {
    /// What one ticket on each racer would pay if that racer won alone, under the race's settlement
    /// policy (`Settlement.settle`, the rule that pays it) with the tickets standing now: the racer's
    /// holder line divided by its tickets, in wei (nil for a racer no ticket backs yet).
    public func ticketPaysIfWins(_ raceId: String) throws -> [(cloneId: String, tickets: Int, ticketPaysWei: Wei?)] {
        let details = try race(raceId)
        guard let price = details.race.string("ticket_price_wei").flatMap(Wei.init(decimal:)) else {
            throw DomainError("race.unknown", "race \(raceId) has no ticket price in the arena read model")
        }
        let racers = details.racers.filter { $0.int("withdrawn") == 0 }.compactMap { $0.string("clone_id") }
        let tickets = try access.read("arena") { db in
            try QueryRow.fetchAll(db, "SELECT clone_id, holder FROM ticket WHERE race_id = ? AND status != 'refunded' ORDER BY sequence, ticket_id", [raceId])
        }.map { Settlement.Ticket(holder: $0.string("holder") ?? "", cloneId: $0.string("clone_id") ?? "") }
        let owners = Dictionary(try clones().map { ($0.string("clone_id") ?? "", $0.string("owner") ?? "") }, uniquingKeysWith: { first, _ in first })
        return try racers.map { winner in
            let backing = tickets.filter { $0.cloneId == winner }.count
            guard backing > 0 else { return (winner, 0, nil) }
            let ranking = racers.map { Settlement.Racer(cloneId: $0, creator: owners[$0] ?? "", rank: $0 == winner ? 1 : 2) }
            let outcome = try Settlement.settle(ticketPriceWei: price, racers: ranking, tickets: tickets)
            let paid = outcome.lines.filter { $0.kind == "holder" && $0.cloneId == winner }
            let wei = paid.reduce(UInt128(0)) { $0 + $1.amountWei.value }
            return (winner, backing, Wei(wei / UInt128(backing)))
        }
    }
}
