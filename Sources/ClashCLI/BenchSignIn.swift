import ArgumentParser
import Clash
import Foundation
import SignIn

/// Sign-in verifications a second: EIP-4361 messages, each with its own nonce, signed beforehand
/// (as wallets would), then each verified as `POST /v1/auth/siwe` verifies it — parsed, its signer
/// recovered with libsecp256k1 and compared, every field checked, the nonce used up, a session opened.
struct BenchSignIn: ClashCommand {
    static let configuration = CommandConfiguration(commandName: "signin", abstract: "Sign-In with Ethereum verifications a second; JSON.")
    @Option(help: "How many sign-ins.") var count = 10_000
    @Option(help: "Seed of the wallets' keys.") var seed: UInt64 = 1

    func execute() throws {
        guard count > 0 else { throw ValidationError("--count must be above 0") }
        let now: Int64 = 1_796_601_600_000
        var random = SplitMix64(seed: seed)
        let nonces = (0..<count).map { String(format: "bench%011d", $0) }
        let signed: [(message: String, signature: String)] = (0..<count).map { index in
            let key = (0..<4).flatMap { _ in withUnsafeBytes(of: random.next().bigEndian, Array.init) }
            let address = (try? PersonalSign.signer(of: "x", signature: PersonalSign.sign("x", privateKey: key)!))!
            let message = """
                127.0.0.1:8080 wants you to sign in with your Ethereum account:
                \(address.checksummed)

                Sign in to Clash of Clones.

                URI: http://127.0.0.1:8080
                Version: 1
                Chain ID: 1
                Nonce: \(nonces[index])
                Issued At: 2026-12-07T00:00:00Z
                Expiration Time: 2026-12-07T00:10:00Z
                """
            return (message, PersonalSign.sign(message, privateKey: key)!)
        }
        let issued = NonceList(nonces)
        let service = SignInService(expectation: .init(domain: "127.0.0.1:8080", uri: "http://127.0.0.1:8080", chainId: 1),
                                    now: { now + 60_000 }, nonces: { issued.next() })
        service.pendingNoncesMax = count
        for _ in 0..<count { _ = service.nonce() }
        let start = monotonicSeconds()
        for (message, signature) in signed { _ = try service.signIn(message: message, signature: signature) }
        let seconds = monotonicSeconds() - start
        Output.json { json in
            json.beginObject()
            json.key("bench"); json.string("signin")
            json.key("count"); json.int(count)
            json.key("seconds"); json.decimal(seconds, places: 3)
            json.key("verifications_per_second"); json.int(Int(Double(count) / max(seconds, 1e-9)))
            json.endObject()
        }
    }
}

/// Hands out the benchmark's nonces in order.
private final class NonceList: @unchecked Sendable {
    private let lock = NSLock()
    private var nonces: [String]
    private var index = 0
    init(_ nonces: [String]) { self.nonces = nonces }
    func next() -> String { lock.withLock { defer { index += 1 }; return nonces[index] } }
}
