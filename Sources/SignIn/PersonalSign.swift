import CSecp256k1
import Canonical
import ClashCore

/// EIP-191 `personal_sign`: what a wallet signs when asked to sign a text, and whose key signed it.
///
/// The signed digest is Keccak-256 of `"\u{19}Ethereum Signed Message:\n"`, the message's length
/// in bytes (decimal), and the message. A signature is 65 bytes, `r ‖ s ‖ v`, with `v` 27 or 28
/// (0 or 1 also accepted, as some wallets send); the signer's public key is recovered from it with
/// libsecp256k1's recovery module, and the address is the last 20 bytes of Keccak-256 of that key.
public enum PersonalSign {
    /// The digest a wallet signs for `message`.
    public static func digest(_ message: String) -> [UInt8] {
        let bytes = Array(message.utf8)
        return Keccak256.hash(Array("\u{19}Ethereum Signed Message:\n\(bytes.count)".utf8) + bytes)
    }

    /// The address whose key made `signature` (hex, with or without `0x`) over `message`.
    public static func signer(of message: String, signature: String) throws(SignInError) -> Address {
        let text = signature.hasPrefix("0x") ? String(signature.dropFirst(2)) : signature
        guard let bytes = Hex.decode(text), bytes.count == 65 else {
            throw .badSignature("the signature must be 65 bytes in hex (r, s and v), as personal_sign returns it")
        }
        let v = bytes[64]
        guard let recoveryId = [0, 1, 27, 28].firstIndex(of: v).map({ Int32($0 % 2) }) else {
            throw .badSignature("the signature's last byte (v) is \(v); personal_sign gives 27 or 28")
        }
        guard let publicKey = recover(digest: digest(message), compact: Array(bytes[0..<64]), recoveryId: recoveryId) else {
            throw .badSignature("no public key signs this message with this signature")
        }
        let hash = Keccak256.hash(publicKey.dropFirst())
        // 20 bytes of lowercase hex always parse.
        return try! Address("0x" + Hex.encode(hash.suffix(20)))
    }

    /// One context for every recovery: made once (it is read only afterwards, so threads share it).
    nonisolated(unsafe) static let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))

    /// The uncompressed public key (65 bytes, 0x04 ‖ x ‖ y) that made the compact signature.
    static func recover(digest: [UInt8], compact: [UInt8], recoveryId: Int32) -> [UInt8]? {
        guard let context else { return nil }
        var signature = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(context, &signature, compact, recoveryId) == 1 else { return nil }
        var key = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(context, &key, &signature, digest) == 1 else { return nil }
        var output = [UInt8](repeating: 0, count: 65)
        var length = 65
        guard secp256k1_ec_pubkey_serialize(context, &output, &length, &key, UInt32(SECP256K1_EC_UNCOMPRESSED)) == 1, length == 65 else { return nil }
        return output
    }

    /// Signs `message` as a wallet's personal_sign does, with a 32-byte private key: 65 bytes in hex
    /// (`0x`, r, s, v as 27 or 28). For benchmarks and tests that play the wallet; the arena itself
    /// never holds a user's key.
    public static func sign(_ message: String, privateKey: [UInt8]) -> String? {
        guard privateKey.count == 32, let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else { return nil }
        defer { secp256k1_context_destroy(context) }
        var signature = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_sign_recoverable(context, &signature, digest(message), privateKey, nil, nil) == 1 else { return nil }
        var compact = [UInt8](repeating: 0, count: 64)
        var recoveryId: Int32 = 0
        guard secp256k1_ecdsa_recoverable_signature_serialize_compact(context, &compact, &recoveryId, &signature) == 1 else { return nil }
        return "0x" + Hex.encode(compact + [UInt8(27 + recoveryId)])
    }
}
