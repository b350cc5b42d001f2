import Clash
import Foundation
import Hummingbird

/// What a clone's owner does, signed in with Ethereum: create a clone (the owner is the signed-in
/// address, never a field of the body), read and change its strategy, retire it.
extension ArenaServer {
    /// Basic (or, with `sources`, Custom) choices, or a whole graph (in `graph`, read apart).
    struct StrategyBody: Decodable {
        var assets: [String]?
        var category: String?
        var prompt: String?
        var cadence: String?
        var risk: String?
        var sources: [String]?

        /// The graph of the body: its `graph` member, or generated from its choices.
        func graph(_ body: JSONBody) throws -> StrategyGraph {
            if let bytes = try body.object("graph") {
                guard prompt == nil, category == nil, assets == nil else {
                    throw Problem(.badRequest, "request.bad_body", "give either graph or the Basic choices (assets or category, prompt), not both")
                }
                return try StrategyGraph.decode(bytes)
            }
            guard let prompt else { throw Problem(.badRequest, "request.bad_body", "field prompt: required (or give a whole graph)") }
            guard !(assets ?? []).isEmpty || category != nil else {
                throw Problem(.badRequest, "request.bad_body", "give assets (e.g. [\"BTC\"]) or a category (e.g. \"Crypto/Layer 1\")")
            }
            return StrategyChoices(assets: assets ?? [], category: category, prompt: prompt, cadence: cadence ?? "5m", risk: risk ?? "medium",
                                   sources: sources).generatedGraph
        }
    }

    struct CreateCloneBody: Decodable {
        var name: String
        var tagline: String?
        var avatar: String?
    }

    static func ownerRoutes(_ router: Router<ArenaRequestContext>, _ ledger: ServedLedger, _ auth: Authenticator, bodyLimit: Int) {
        router.post("/v1/clones") { request, _ async throws -> Response in
            do {
                let owner = try auth.wallet(request)
                let body = try await JSONBody.read(request, limit: bodyLimit)
                let identity = try body.decode(CreateCloneBody.self)
                let graph = try body.decode(StrategyBody.self).graph(body)
                let created = try ledger.write { ledger in
                    try ledger.createClone(owner: owner.lowercase, identity: .init(name: identity.name, avatarText: identity.avatar ?? "",
                                                                                   tagline: identity.tagline ?? ""), graph: graph)
                }
                var json = CanonicalJSONWriter()
                json.beginObject()
                json.key("clone_id"); json.string(created.cloneId)
                json.key("granularity"); json.string(graph.granularity.rawValue)
                json.key("owner"); json.string(owner.lowercase)
                json.key("strategy_hash"); json.string(created.strategyHash)
                json.endObject()
                return Self.json(json.bytes, status: .created)
            } catch {
                return Problem(error).response
            }
        }
        router.get("/v1/clones/:clone_id/strategy") { request, context in
            try answer {
                let cloneId = try context.parameters.require("clone_id")
                let caller = try auth.caller(request)
                guard caller != .anonymous else {
                    throw Problem(.unauthorized, "auth.not_signed_in", "a strategy is shown to its owner, signed in, and to operators")
                }
                return try ledger.clone(cloneId, as: caller.audience)
            }
        }
        router.put("/v1/clones/:clone_id/strategy") { request, context async throws -> Response in
            do {
                let cloneId = try context.parameters.require("clone_id")
                let owner = try auth.wallet(request)
                let body = try await JSONBody.read(request, limit: bodyLimit)
                let graph = try body.decode(StrategyBody.self).graph(body)
                let hash = try ledger.write { try $0.changeStrategy(cloneId, owner: owner.lowercase, graph: graph) }
                return Self.json(Array("{\"clone_id\":\"\(cloneId)\",\"strategy_hash\":\"\(hash)\"}".utf8))
            } catch {
                return Problem(error).response
            }
        }
        router.get("/v1/clones/:clone_id/preview") { request, context in
            try answer {
                let cloneId = try context.parameters.require("clone_id")
                let caller = try auth.caller(request)
                guard caller != .anonymous else {
                    throw Problem(.unauthorized, "auth.not_signed_in", "a clone's preview shows its strategy: to its owner, signed in, and to operators")
                }
                let at = try integer(request, "at", in: 0...maxInteger).map { Int64($0) }
                let asset = request.uri.queryParameters.get("asset")
                _ = try ledger.query { try $0.publicClone(cloneId) }
                return list(try ledger.activity { log, artifacts in
                    try CloneActivity.preview(cloneId, at: at, asset: asset, audience: caller.audience, log: log, artifacts: artifacts)
                })
            }
        }
        router.post("/v1/clones/:clone_id/retire") { request, context -> Response in
            do {
                let cloneId = try context.parameters.require("clone_id")
                let owner = try auth.wallet(request)
                try ledger.write { try $0.retireClone(cloneId, owner: owner.lowercase) }
                return Self.json(try ledger.query { try $0.publicClone(cloneId) }.canonicalJSON)
            } catch {
                return Problem(error).response
            }
        }
    }
}
