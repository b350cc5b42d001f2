import Clash
import Foundation
import Hummingbird
import SignIn

/// Who is asking: nobody in particular, a wallet signed in with Ethereum, or an operator.
enum Caller: Equatable {
    case anonymous
    case wallet(Address)
    case `operator`(tokenId: String)

    /// How a clone's strategy is shown to this caller.
    var audience: CloneAudience {
        switch self {
        case .anonymous: .public
        case .wallet(let address): .owner(address)
        case .operator: .operator
        }
    }
}

/// Reads `Authorization: Bearer TOKEN`: an operator token (`clash_op_…`, checked against the data
/// directory's `operators.json` on every request, so a revocation holds at once) or a session
/// token from Sign-In with Ethereum. A token that is sent must be good: a bad one is 401, never
/// treated as anonymous.
struct Authenticator: Sendable {
    let signIn: SignInService
    let operators: OperatorTokens

    func caller(_ request: Request) throws -> Caller {
        guard let header = request.headers[.authorization] else { return .anonymous }
        guard header.hasPrefix("Bearer "), case let token = String(header.dropFirst(7)), !token.isEmpty else {
            throw Problem(.unauthorized, "auth.bad_header", "send Authorization: Bearer TOKEN (a sign-in token from POST /v1/auth/siwe, or an operator token)")
        }
        if token.hasPrefix("clash_op_") {
            guard let entry = try operators.verify(token) else {
                throw Problem(.unauthorized, "auth.bad_token", "the operator token is unknown or revoked; `clash tokens list` shows the valid ones")
            }
            return .operator(tokenId: entry.tokenId)
        }
        do {
            return .wallet(try signIn.address(token: token))
        } catch {
            throw Problem(error)
        }
    }

    /// The wallet a session token signs in, or nil (no token, an operator's, or one not valid):
    /// what the per-wallet rate counts, without reading the operators' file.
    func sessionWallet(_ request: Request) -> Address? {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "), !header.hasPrefix("Bearer clash_op_") else { return nil }
        return try? signIn.address(token: String(header.dropFirst(7)))
    }

    /// The signed-in wallet; 401 for anyone else.
    func wallet(_ request: Request) throws -> Address {
        guard case .wallet(let address) = try caller(request) else {
            throw Problem(.unauthorized, "auth.not_signed_in", "sign in with Ethereum first (GET /v1/auth/nonce, then POST /v1/auth/siwe) and send Authorization: Bearer TOKEN")
        }
        return address
    }

    /// An operator's token id; 401 for anyone else who is not signed in, 403 for a wallet.
    func requireOperator(_ request: Request) throws -> String {
        switch try caller(request) {
        case .operator(let tokenId): return tokenId
        case .wallet: throw Problem(.forbidden, "auth.not_operator", "only an operator may do this; a wallet's sign-in is not enough")
        case .anonymous: throw Problem(.unauthorized, "auth.not_signed_in", "send an operator's token: Authorization: Bearer TOKEN (`clash tokens create`)")
        }
    }
}
