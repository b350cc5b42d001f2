import Canonical
import ClashCore
import Crypto
import Foundation

/// Sign-In with Ethereum for one server: it issues nonces, verifies signed EIP-4361 messages
/// against what it is (its domain, its URI, its chain), and keeps the sessions that follow.
///
/// A nonce is 16 letters and digits, good for `nonceLifetimeMs` and for one sign-in. A session is a
/// bearer token of 32 random bytes, kept only as its SHA-256, until the message's expiration time or
/// `sessionLifetimeMs`, whichever comes first, or until logout. Both live in memory: a restarted
/// server asks everyone to sign in again. The clock is an input, so tests move time by hand.
public final class SignInService: @unchecked Sendable {
    /// Who signs in where: the message's domain must equal `domain`, its URI must start with `uri`.
    public struct Expectation: Sendable {
        public var domain: String
        public var uri: String
        public var chainId: Int
        public init(domain: String, uri: String, chainId: Int) {
            self.domain = domain
            self.uri = uri
            self.chainId = chainId
        }
    }

    /// A signed-in wallet's session.
    public struct Session: Sendable, Equatable {
        public var token: String
        public var address: Address
        public var expiresAtMs: Int64
    }

    /// What a message must name; a server sets it once it knows the port it listens on.
    public var expectation: Expectation {
        get { lock.withLock { expected } }
        set { lock.withLock { expected = newValue } }
    }
    private var expected: Expectation
    public var nonceLifetimeMs: Int64 = 5 * 60_000
    public var sessionLifetimeMs: Int64 = 24 * 3_600_000
    /// How far ahead of the server's clock an issue time may be (a wallet's clock runs a little fast).
    public var clockSkewMs: Int64 = 60_000
    /// The most nonces waiting to be used at once; past it the oldest is dropped.
    public var pendingNoncesMax = 100_000
    private let now: @Sendable () -> Int64
    private let makeNonce: @Sendable () -> String
    private let lock = NSLock()
    /// Issued and not used: nonce → when it expires.
    private var pending: [String: Int64] = [:]
    /// Used, kept until they would have expired, so a reuse is named as such.
    private var used: [String: Int64] = [:]
    /// SHA-256 of a token (hex) → its session's address and end.
    private var sessions: [String: (address: Address, expiresAtMs: Int64)] = [:]
    /// When expired nonces and sessions were last swept out (at most once a second).
    private var sweptAtMs: Int64 = .min

    /// `nonces` makes each nonce (default: 16 random letters and digits; tests give their own).
    public init(expectation: Expectation, now: @escaping @Sendable () -> Int64, nonces: @escaping @Sendable () -> String = SignInService.randomNonce) {
        expected = expectation
        self.now = now
        makeNonce = nonces
    }

    /// 16 letters and digits from the system's random source (about 95 bits).
    @Sendable public static func randomNonce() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// A new single-use nonce.
    public func nonce() -> String {
        let nonce = makeNonce()
        let time = now()
        lock.withLock {
            forgetExpired(at: time)
            if pending.count >= pendingNoncesMax, let oldest = pending.min(by: { $0.value < $1.value })?.key { pending[oldest] = nil }
            pending[nonce] = time + nonceLifetimeMs
        }
        return nonce
    }

    /// Verifies a signed message and opens a session for its address. Every check EIP-4361 names:
    /// the signature (EIP-191) by the message's address, the domain, the URI, version 1, the chain,
    /// the issue, expiration and not-before times, and a nonce this server issued and nobody used.
    public func signIn(message text: String, signature: String) throws(SignInError) -> Session {
        let message = try SiweMessage(parsing: text)
        let expectation = self.expectation
        let signer = try PersonalSign.signer(of: text, signature: signature)
        guard signer == message.address else { throw .wrongKey(signer: signer.checksummed, address: message.address.checksummed) }
        guard message.domain == expectation.domain else { throw .foreignDomain(message.domain, expected: expectation.domain) }
        guard message.uri.hasPrefix(expectation.uri) else { throw .wrongURI(message.uri, expected: expectation.uri) }
        guard message.version == "1" else { throw .wrongVersion(message.version) }
        guard message.chainId == expectation.chainId else { throw .wrongChain(message.chainId, expected: expectation.chainId) }
        let time = now()
        if let expiration = message.expirationMs, time >= expiration { throw .expired(message.expirationTime ?? "") }
        if let notBefore = message.notBeforeMs, time < notBefore { throw .notYetValid(message.notBefore ?? "") }
        guard message.issuedAtMs <= time + clockSkewMs else { throw .issuedInFuture(message.issuedAt) }
        var token = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in token.indices { token[index] = UInt8.random(in: .min ... .max, using: &generator) }
        let tokenText = Hex.encode(token)
        let expires = min(message.expirationMs ?? .max, time + sessionLifetimeMs)
        lock.lock()
        defer { lock.unlock() }
        do {
            forgetExpired(at: time)
            if used[message.nonce] != nil { throw .reusedNonce(message.nonce) }
            guard let nonceExpiry = pending.removeValue(forKey: message.nonce) else { throw .unknownNonce(message.nonce) }
            used[message.nonce] = nonceExpiry
            sessions[Self.key(tokenText)] = (message.address, expires)
        }
        return Session(token: tokenText, address: message.address, expiresAtMs: expires)
    }

    /// The address a bearer token signs in, or why not.
    public func address(token: String) throws(SignInError) -> Address {
        let time = now()
        lock.lock()
        defer { lock.unlock() }
        do {
            guard let session = sessions[Self.key(token)] else { throw .notSignedIn("the token is unknown or was logged out") }
            guard time < session.expiresAtMs else {
                sessions[Self.key(token)] = nil
                throw .notSignedIn("the session ended")
            }
            return session.address
        }
    }

    /// Ends a session; the token is refused from now on.
    public func logout(token: String) {
        lock.withLock { sessions[Self.key(token)] = nil }
    }

    private static func key(_ token: String) -> String { Hex.encode(Array(SHA256.hash(data: Array(token.utf8)))) }

    private func forgetExpired(at time: Int64) {
        guard time >= sweptAtMs &+ 1_000 else { return }
        sweptAtMs = time
        pending = pending.filter { $0.value > time }
        used = used.filter { $0.value > time }
        sessions = sessions.filter { $0.value.expiresAtMs > time }
    }
}
