import Clash
import Foundation
import Hummingbird

/// What an operator does, with an operator token (`clash tokens create`): the runtime's kill
/// switch, cancelling a race (every ticket refunded), auditing one, and the arena's state.
extension ArenaServer {
    struct ReasonBody: Decodable {
        var reason: String
    }

    static func operatorRoutes(_ router: Router<ArenaRequestContext>, _ ledger: ServedLedger, _ auth: Authenticator, bodyLimit: Int) {
        for (path, state) in [("halt", Gates.KillSwitch.halted), ("reduce-only", .reduceOnly), ("resume", .running)] {
            router.post("/v1/runtime/\(path)") { request, _ async throws -> Response in
                do {
                    _ = try auth.requireOperator(request)
                    let body = try await JSONBody.read(request, limit: bodyLimit).decode(ReasonBody.self)
                    let result = try ledger.write { try $0.setKillSwitch(state, reason: body.reason) }
                    return Self.json(Array("{\"sequence\":\(result.lastSequence),\"state\":\"\(state.rawValue)\"}".utf8))
                } catch {
                    return Problem(error).response
                }
            }
        }
        router.post("/v1/races/:race_id/cancel") { request, context async throws -> Response in
            do {
                let raceId = try context.parameters.require("race_id")
                _ = try auth.requireOperator(request)
                let body = try await JSONBody.read(request, limit: bodyLimit).decode(ReasonBody.self)
                let race = try ledger.write { try $0.cancelRace(raceId, reason: body.reason) }
                return Self.json(Array("{\"phase\":\"\(race.phase.rawValue)\",\"race_id\":\"\(raceId)\",\"refunded\":\(race.refunded.count)}".utf8))
            } catch {
                return Problem(error).response
            }
        }
        router.get("/v1/races/:race_id/audit") { request, context in
            try answer {
                _ = try auth.requireOperator(request)
                return try ledger.audit(try context.parameters.require("race_id"))
            }
        }
        router.get("/v1/arena") { request, _ in
            try answer {
                _ = try auth.requireOperator(request)
                let (slots, queue, underWay) = try ledger.query { queries in
                    (try queries.arenaSlots(), try queries.arenaQueue(), try queries.racesUnderWay())
                }
                return object([("queue", array(queue)), ("races", array(underWay)), ("slots", array(slots))])
            }
        }
    }
}
