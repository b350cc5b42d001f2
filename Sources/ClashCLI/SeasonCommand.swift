import ArgumentParser
import Clash
import Foundation

struct SeasonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "season", abstract: "Whole seasons of the arena.", subcommands: [SeasonSimulate.self])
}

extension Season {
    /// The season's summary: totals, the last race's ranking and settlement, the leaderboard and the Hall of Fame.
    static func printSummary(_ ledger: Ledger, season: Totals, seconds: Double) throws {
        let queries = ledger.queries
        let lastRace = try queries.lastSettledRace()
        func array(_ rows: [QueryRow], _ json: inout CanonicalJSONWriter) {
            json.beginArray()
            for row in rows { json.raw(row.canonicalJSON) }
            json.endArray()
        }
        try Output.json { json in
            json.beginObject()
            json.key("auditions_failed"); json.int(season.report.auditionsFailed)
            json.key("auditions_passed"); json.int(season.report.auditionsPassed)
            json.key("decisions"); json.int(season.decisions)
            json.key("events"); json.uint(season.events)
            if let lastRace {
                json.key("last_race")
                json.beginObject()
                json.key("race_id"); json.string(lastRace)
                json.key("ranking"); array(try queries.raceRanking(lastRace), &json)
                json.key("settlement"); if let settlement = try queries.settlement(lastRace) { json.raw(settlement.canonicalJSON) } else { json.null() }
                json.key("payout_lines"); json.int(try queries.payoutLineCount(lastRace))
                json.endObject()
            }
            json.key("leaderboard"); array(try queries.leaderboard(limit: 5), &json)
            json.key("hall_of_fame"); array(try queries.hallOfFame(limit: 5), &json)
            json.key("races_cancelled"); json.int(season.report.racesCancelled)
            json.key("races_settled"); json.int(season.report.racesSettled)
            json.key("retirements"); json.int(season.report.retirements)
            json.key("seconds"); json.decimal(seconds, places: 3)
            json.key("tickets"); json.int(season.tickets)
            json.endObject()
        }
    }
}
