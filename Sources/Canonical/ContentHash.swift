import Crypto

/// SHA-256 names of content (artifacts, strategy graphs, packets, prompts): lowercase hex, 64
/// characters, the same encoding as the chain's head hash.
public enum ContentHash {
    /// SHA-256 of `bytes`, lowercase hex.
    public static func of(_ bytes: [UInt8]) -> String {
        Hex.encode(Array(SHA256.hash(data: bytes)))
    }

    /// Whether `text` is a content hash: 64 lowercase hex digits.
    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
