import Clash
import Foundation
import HTTPTypes
import Hummingbird

/// What a spectator does, signed in with Ethereum: buy tickets on a clone of the accumulating race.
/// The holder is the signed-in address; payment in ETH happens outside this engine.
extension ArenaServer {
    struct BuyBody: Decodable {
        var cloneId: String
        var count: Int

        enum CodingKeys: String, CodingKey {
            case cloneId = "clone_id", count
        }
    }

    /// The longest `Idempotency-Key` taken.
    static let idempotencyKeyMax = 128

    static func ticketRoutes(_ router: Router<ArenaRequestContext>, _ ledger: ServedLedger, _ auth: Authenticator, bodyLimit: Int) {
        router.post("/v1/races/:race_id/tickets") { request, context async throws -> Response in
            do {
                let raceId = try context.parameters.require("race_id")
                let holder = try auth.wallet(request)
                guard let key = request.headers[HTTPField.Name("Idempotency-Key")!], !key.isEmpty, key.utf8.count <= idempotencyKeyMax,
                      key.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0.value < 127 }) else {
                    throw Problem(.badRequest, "ticket.idempotency_key_missing",
                                  "send an Idempotency-Key header (1 to \(idempotencyKeyMax) printable ASCII characters, e.g. a UUID): a retry with the same key buys nothing more")
                }
                let body = try await JSONBody.read(request, limit: bodyLimit).decode(BuyBody.self)
                let tickets = try ledger.write { try $0.buyTickets(raceId: raceId, cloneId: body.cloneId, holder: holder, count: body.count, order: key) }
                return Self.json(list(try tickets.map { try $0.canonicalPayload() }), status: .created)
            } catch {
                return Problem(error).response
            }
        }
    }
}
