/// Why a sign-in was refused, each with a stable code (`auth.*`); nothing is signed in, and the
/// signer signs again (HTTP 401).
public enum SignInError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not an EIP-4361 message.
    case badMessage(String)
    case badSignature(String)
    /// The signature is valid but made by another key than the message's address.
    case wrongKey(signer: String, address: String)
    case foreignDomain(String, expected: String)
    case wrongURI(String, expected: String)
    case wrongVersion(String)
    case wrongChain(Int, expected: Int)
    case expired(String)
    case notYetValid(String)
    case issuedInFuture(String)
    case unknownNonce(String)
    case reusedNonce(String)
    /// No session, or one that ended.
    case notSignedIn(String)

    public var code: String {
        switch self {
        case .badMessage: "auth.bad_message"
        case .badSignature: "auth.bad_signature"
        case .wrongKey: "auth.wrong_key"
        case .foreignDomain: "auth.foreign_domain"
        case .wrongURI: "auth.wrong_uri"
        case .wrongVersion: "auth.wrong_version"
        case .wrongChain: "auth.wrong_chain"
        case .expired: "auth.expired"
        case .notYetValid: "auth.not_yet_valid"
        case .issuedInFuture: "auth.issued_in_future"
        case .unknownNonce: "auth.unknown_nonce"
        case .reusedNonce: "auth.reused_nonce"
        case .notSignedIn: "auth.not_signed_in"
        }
    }

    public var description: String {
        switch self {
        case let .badMessage(reason): "not an EIP-4361 sign-in message: \(reason)"
        case let .badSignature(reason): "the signature does not verify: \(reason)"
        case let .wrongKey(signer, address): "the message was signed by \(signer), not by its address \(address): sign with the account the message names"
        case let .foreignDomain(domain, expected): "the message is for \(domain), this server is \(expected): sign a message for \(expected)"
        case let .wrongURI(uri, expected): "the message's URI \(uri) is not on this server (\(expected))"
        case let .wrongVersion(version): "version \(version): only version 1 of EIP-4361 is known"
        case let .wrongChain(chain, expected): "the message is for chain \(chain), this arena is on chain \(expected)"
        case let .expired(time): "the message expired at \(time): ask for a new nonce and sign again"
        case let .notYetValid(time): "the message is not valid before \(time)"
        case let .issuedInFuture(time): "the message says it was issued at \(time), which is still to come: check the device's clock"
        case let .unknownNonce(nonce): "nonce \(nonce) was not issued by this server or has expired: GET /v1/auth/nonce and sign again"
        case let .reusedNonce(nonce): "nonce \(nonce) was used already: GET /v1/auth/nonce and sign again"
        case let .notSignedIn(reason): "not signed in: \(reason); sign in with POST /v1/auth/siwe and send Authorization: Bearer TOKEN"
        }
    }
}
