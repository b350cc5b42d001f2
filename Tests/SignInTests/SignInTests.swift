import Canonical
import ClashCore
import Foundation
import SignIn
import Testing

/// Messages and signatures made by an independent implementation (the PyPI packages `siwe` 4.4.0,
/// which writes EIP-4361 messages, and `eth-account` 0.13.7, which signs them with personal_sign),
/// with two known private keys: A = 0x4c0883a6…3f362318, B = 0x01234567…89abcdef.
enum Vectors {
    static let addressA = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"
    static let addressB = "0xFCAd0B19bB29D4674531d6f115237E16AfCE377c"
    static let full = "arena.example wants you to sign in with your Ethereum account:\n0x2c7536E3605D9C16a7a3D7b1898e529396a65c23\n\nSign in to Clash of Clones.\n\nURI: https://arena.example/login\nVersion: 1\nChain ID: 1\nNonce: k3y5Nonce000001\nIssued At: 2026-12-07T00:00:00Z\nExpiration Time: 2026-12-07T00:10:00Z\nNot Before: 2026-12-06T23:59:00.000Z\nRequest ID: req-1\nResources:\n- https://arena.example/terms\n- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq"
    static let fullByA = "0x14e792b9f81e490d45cedf0906357c4e9159ed93803e356225ff4f69e7276ebc12a131de565abef0d92df7ec4c80e84bff13e60395d442eff83612ec8182f7851b"
    static let fullByB = "0xd5cc4ebf9091be72eadbe516d9ebd7ece1d6caa82af81ea259300a208091e01c654fdfb239b3f6a0e5a9357704482495bed0be1b808373c77259bf8b891ce63a1b"
    static let bare = "arena.example wants you to sign in with your Ethereum account:\n0x2c7536E3605D9C16a7a3D7b1898e529396a65c23\n\n\nURI: https://arena.example/login\nVersion: 1\nChain ID: 1\nNonce: k3y5Nonce000001\nIssued At: 2026-12-07T00:00:00Z"
    static let bareByA = "0xdd5490f48bd7ee4ea1789a3ed90c908f2f9e4d662762612b9e95c030137d03c641eb1c8c4df6138d5dbd738345d1c3431d31f688b09146706b2c0bd5e388bf171b"
    static let bareByB = "0x88ee5374602acbef26da8d0c8c6bca5ffa203aae8ecfb90fe6576a53602c8db9706ee6e44bcd84bc9ebabee8a0f303a7fc363b56b507b6fc9500af5b12529e9e1b"
    /// 2026-12-07T00:00:00Z.
    static let issuedMs: Int64 = 1_796_601_600_000
}

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var ms: Int64
    init(_ ms: Int64) { self.ms = ms }
    var now: Int64 { lock.withLock { ms } }
    func set(_ value: Int64) { lock.withLock { ms = value } }
}

@Suite("Sign-In with Ethereum (EIP-4361, EIP-191)", .timeLimit(.minutes(5)))
struct SignInTests {
    static func service(_ clock: TestClock, domain: String = "arena.example", uri: String = "https://arena.example", chain: Int = 1) -> SignInService {
        SignInService(expectation: .init(domain: domain, uri: uri, chainId: chain), now: { clock.now }, nonces: { "k3y5Nonce000001" })
    }

    @Test("personal_sign: the signer recovered from eth-account's signatures is the key's address, for each key and message")
    func recoversSigner() throws {
        #expect(try PersonalSign.signer(of: Vectors.full, signature: Vectors.fullByA).checksummed == Vectors.addressA)
        #expect(try PersonalSign.signer(of: Vectors.full, signature: Vectors.fullByB).checksummed == Vectors.addressB)
        #expect(try PersonalSign.signer(of: Vectors.bare, signature: Vectors.bareByA).checksummed == Vectors.addressA)
        #expect(try PersonalSign.signer(of: Vectors.bare, signature: Vectors.bareByB).checksummed == Vectors.addressB)
        // One changed character of the message: another (unrelated) signer, never A.
        let changed = Vectors.full.replacingOccurrences(of: "Chain ID: 1", with: "Chain ID: 2")
        #expect(try PersonalSign.signer(of: changed, signature: Vectors.fullByA).checksummed != Vectors.addressA)
        // v as 0/1 (some wallets) recovers the same key as 27/28.
        let lowV = String(Vectors.fullByA.dropLast(2)) + "00"
        #expect(try PersonalSign.signer(of: Vectors.full, signature: lowV).checksummed == Vectors.addressA)
        #expect(throws: SignInError.self) { try PersonalSign.signer(of: Vectors.full, signature: "0x1234") }
        #expect(throws: SignInError.self) { try PersonalSign.signer(of: Vectors.full, signature: String(Vectors.fullByA.dropLast(2)) + "1d") }
    }

    @Test("a signature made here with key A is eth-account's own (RFC 6979 nonces): byte for byte, and recovers to A")
    func signsLikeAWallet() throws {
        let keyA = Array(Hex.decode("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")!)
        #expect(PersonalSign.sign(Vectors.full, privateKey: keyA) == Vectors.fullByA)
        #expect(PersonalSign.sign(Vectors.bare, privateKey: keyA) == Vectors.bareByA)
        #expect(PersonalSign.sign(Vectors.bare, privateKey: [1, 2, 3]) == nil)
    }

    @Test("an EIP-4361 message is read field by field, with and without its optional parts")
    func parsesMessages() throws {
        let full = try SiweMessage(parsing: Vectors.full)
        #expect(full.domain == "arena.example" && full.address.checksummed == Vectors.addressA)
        #expect(full.statement == "Sign in to Clash of Clones." && full.uri == "https://arena.example/login" && full.version == "1")
        #expect(full.chainId == 1 && full.nonce == "k3y5Nonce000001" && full.issuedAtMs == Vectors.issuedMs)
        #expect(full.expirationMs == Vectors.issuedMs + 600_000 && full.notBeforeMs == Vectors.issuedMs - 60_000 && full.requestId == "req-1")
        #expect(full.resources == ["https://arena.example/terms", "ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq"])
        let bare = try SiweMessage(parsing: Vectors.bare)
        #expect(bare.statement == nil && bare.expirationMs == nil && bare.notBeforeMs == nil && bare.resources.isEmpty)
    }

    @Test("RFC 3339 times read as Foundation's ISO 8601 formatter reads them, offsets and fractions included", arguments: [
        "2026-12-07T00:00:00Z", "1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2026-12-06T23:59:00.000Z", "2026-12-07T10:30:00+02:00",
        "2026-12-07T01:00:00-05:30", "2099-12-31T23:59:59.123Z", "1969-07-20T20:17:40Z",
    ])
    func readsTimes(text: String) throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        let expected = Int64((try #require(formatter.date(from: text)).timeIntervalSince1970 * 1000).rounded())
        let message = Vectors.bare.replacingOccurrences(of: "Issued At: 2026-12-07T00:00:00Z", with: "Issued At: \(text)")
        #expect(try SiweMessage(parsing: message).issuedAtMs == expected)
    }

    @Test("a message that is not EIP-4361 is refused as malformed, saying where", arguments: [
        ("hello", "first line"),
        (Vectors.bare.replacingOccurrences(of: Vectors.addressA, with: Vectors.addressA.lowercased()), "EIP-55"),
        (Vectors.bare.replacingOccurrences(of: "Chain ID: 1", with: "Chain ID: one"), "Chain ID"),
        (Vectors.bare.replacingOccurrences(of: "Nonce: k3y5Nonce000001", with: "Nonce: short"), "nonce"),
        (Vectors.bare.replacingOccurrences(of: "2026-12-07T00:00:00Z", with: "yesterday"), "RFC 3339"),
        (Vectors.bare.replacingOccurrences(of: "2026-12-07T00:00:00Z", with: "2026-13-07T00:00:00Z"), "RFC 3339"),
        (Vectors.bare.replacingOccurrences(of: "2026-12-07T00:00:00Z", with: "2026-12-07T00:00:00"), "RFC 3339"),
        (Vectors.bare + "\nSurprise: field", "unexpected line"),
    ])
    func refusesMalformed(text: String, mentions: String) {
        #expect {
            _ = try SiweMessage(parsing: text)
        } throws: { error in
            guard let error = error as? SignInError, case .badMessage = error else { return false }
            return error.code == "auth.bad_message" && error.description.contains(mentions)
        }
    }

    @Test("sign in: a valid signed message opens a session for its address; the token names it until logout")
    func signsIn() throws {
        let clock = TestClock(Vectors.issuedMs + 120_000)
        let service = Self.service(clock)
        #expect(service.nonce() == "k3y5Nonce000001")
        let session = try service.signIn(message: Vectors.full, signature: Vectors.fullByA)
        #expect(session.address.checksummed == Vectors.addressA)
        #expect(session.expiresAtMs == Vectors.issuedMs + 600_000, "the session ends when the message expires")
        #expect(session.token.count == 64)
        #expect(try service.address(token: session.token) == session.address)
        service.logout(token: session.token)
        #expect(throws: SignInError.notSignedIn("the token is unknown or was logged out")) { try service.address(token: session.token) }
    }

    @Test("a session ends with its message's expiration time")
    func sessionEnds() throws {
        let clock = TestClock(Vectors.issuedMs + 120_000)
        let service = Self.service(clock)
        _ = service.nonce()
        let session = try service.signIn(message: Vectors.full, signature: Vectors.fullByA)
        clock.set(Vectors.issuedMs + 600_000)
        #expect(throws: SignInError.self) { try service.address(token: session.token) }
    }

    @Test("each refusal has its own code, and nothing is signed in")
    func refusals() throws {
        let now = Vectors.issuedMs + 120_000
        func refused(_ clock: TestClock = TestClock(now), domain: String = "arena.example", uri: String = "https://arena.example", chain: Int = 1,
                     issue: Bool = true, message: String = Vectors.full, signature: String = Vectors.fullByA) -> String? {
            let service = Self.service(clock, domain: domain, uri: uri, chain: chain)
            if issue { _ = service.nonce() }
            do {
                _ = try service.signIn(message: message, signature: signature)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(refused(signature: Vectors.fullByB) == "auth.wrong_key")
        #expect(refused(signature: "0x" + String(repeating: "00", count: 65)) == "auth.bad_signature")
        #expect(refused(domain: "evil.example") == "auth.foreign_domain")
        #expect(refused(uri: "https://other.example") == "auth.wrong_uri")
        #expect(refused(chain: 10) == "auth.wrong_chain")
        #expect(refused(TestClock(Vectors.issuedMs + 600_000)) == "auth.expired")
        #expect(refused(TestClock(Vectors.issuedMs - 120_000)) == "auth.not_yet_valid")
        #expect(refused(TestClock(Vectors.issuedMs - 120_000), message: Vectors.bare, signature: Vectors.bareByA) == "auth.issued_in_future")
        #expect(refused(issue: false) == "auth.unknown_nonce")
        let clock = TestClock(now)
        let service = Self.service(clock)
        _ = service.nonce()
        _ = try service.signIn(message: Vectors.full, signature: Vectors.fullByA)
        #expect(throws: SignInError.reusedNonce("k3y5Nonce000001")) { try service.signIn(message: Vectors.full, signature: Vectors.fullByA) }
        // A nonce expires unused.
        let late = Self.service(clock)
        _ = late.nonce()
        clock.set(now + late.nonceLifetimeMs)
        #expect(throws: SignInError.unknownNonce("k3y5Nonce000001")) { try late.signIn(message: Vectors.bare, signature: Vectors.bareByA) }
    }
}
