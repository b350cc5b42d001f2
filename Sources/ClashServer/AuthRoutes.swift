import Clash
import Foundation
import Hummingbird
import SignIn

/// Sign-In with Ethereum over HTTP: a nonce, a signed EIP-4361 message for a bearer token, logout,
/// and who the token signs in.
extension ArenaServer {
    struct SignInBody: Decodable {
        var message: String
        var signature: String
    }

    static func authRoutes(_ router: Router<ArenaRequestContext>, _ auth: Authenticator, bodyLimit: Int) {
        router.get("/v1/auth/nonce") { _, _ in
            try answer { object([("nonce", Array("\"\(auth.signIn.nonce())\"".utf8))]) }
        }
        router.post("/v1/auth/siwe") { request, _ async throws -> Response in
            do {
                let body = try await JSONBody.read(request, limit: bodyLimit).decode(SignInBody.self)
                let session = try auth.signIn.signIn(message: body.message, signature: body.signature)
                var json = CanonicalJSONWriter()
                json.beginObject()
                json.key("address"); json.string(session.address.checksummed)
                json.key("expires_at"); json.string(Self.rfc3339(session.expiresAtMs))
                json.key("expires_ms"); json.int(session.expiresAtMs)
                json.key("token"); json.string(session.token)
                json.endObject()
                return Self.json(json.bytes)
            } catch {
                return Problem(error).response
            }
        }
        router.post("/v1/auth/logout") { request, _ -> Response in
            do {
                guard case .wallet = try auth.caller(request), let header = request.headers[.authorization] else {
                    throw Problem(.unauthorized, "auth.not_signed_in", "send the session's token: Authorization: Bearer TOKEN")
                }
                auth.signIn.logout(token: String(header.dropFirst(7)))
                return Response(status: .noContent)
            } catch {
                return Problem(error).response
            }
        }
        router.get("/v1/auth/session") { request, _ in
            try answer {
                var json = CanonicalJSONWriter()
                json.beginObject()
                switch try auth.caller(request) {
                case .anonymous: json.key("role"); json.string("anonymous")
                case .wallet(let address):
                    json.key("address"); json.string(address.checksummed)
                    json.key("role"); json.string("wallet")
                case .operator(let tokenId):
                    json.key("role"); json.string("operator")
                    json.key("token_id"); json.string(tokenId)
                }
                json.endObject()
                return json.bytes
            }
        }
    }

    /// An RFC 3339 UTC time, whole seconds.
    static func rfc3339(_ ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
