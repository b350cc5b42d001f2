import Crypto
import Foundation
import LedgerLog

/// A tree head: the size and root of the log's Merkle tree at some point, with the timestamp of
/// its last event (log time, never the wall clock).
public struct TreeHead: Sendable, Equatable {
    public var treeSize: UInt64
    public var rootHash: MerkleHash
    public var timestampMs: Int64

    public init(treeSize: UInt64, rootHash: MerkleHash, timestampMs: Int64) {
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.timestampMs = timestampMs
    }

    /// The bytes an Ed25519 signature covers: a fixed label, then the head's canonical JSON.
    public var signedBytes: [UInt8] {
        var json = CanonicalJSONWriter()
        json.beginObject()
        json.key("root_hash"); json.string(rootHash.hex)
        json.key("timestamp_ms"); json.int(timestampMs)
        json.key("tree_size"); json.uint(treeSize)
        json.endObject()
        return Array(SignedTreeHead.label.utf8) + json.bytes
    }
}

/// A tree head signed with Ed25519 by the operator's key: published once, it binds the operator to
/// every event of that prefix, since any later log must prove itself consistent with it.
public struct SignedTreeHead: Sendable, Equatable {
    public static let label = "clash-ledger tree head v1\n"
    public var head: TreeHead
    public var publicKey: [UInt8]
    public var signature: [UInt8]

    public init(head: TreeHead, key: Curve25519.Signing.PrivateKey) throws {
        self.head = head
        publicKey = Array(key.publicKey.rawRepresentation)
        signature = Array(try key.signature(for: head.signedBytes))
    }

    init(head: TreeHead, publicKey: [UInt8], signature: [UInt8]) {
        self.head = head
        self.publicKey = publicKey
        self.signature = signature
    }

    /// Whether the signature is the key's over the head.
    public var isValid: Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: head.signedBytes)
    }

    public func write(to json: inout CanonicalJSONWriter) {
        json.beginObject()
        json.key("algorithm"); json.string("ed25519")
        json.key("public_key"); json.string(Hex.encode(publicKey))
        json.key("root_hash"); json.string(head.rootHash.hex)
        json.key("signature"); json.string(Hex.encode(signature))
        json.key("timestamp_ms"); json.int(head.timestampMs)
        json.key("tree_size"); json.uint(head.treeSize)
        json.endObject()
    }

    public static func parse(_ bytes: [UInt8], source: String) throws -> SignedTreeHead {
        let fields = try TreeJSON.Fields(bytes, source: source)
        guard try fields.string("algorithm") == "ed25519" else { throw fields.fail("algorithm", "\"ed25519\"") }
        guard let publicKey = Hex.decode(try fields.string("public_key")), publicKey.count == 32 else {
            throw fields.fail("public_key", "32 bytes in hex")
        }
        guard let signature = Hex.decode(try fields.string("signature")), signature.count == 64 else {
            throw fields.fail("signature", "64 bytes in hex")
        }
        return SignedTreeHead(head: TreeHead(treeSize: try fields.uint("tree_size"), rootHash: try fields.hash("root_hash"),
                                             timestampMs: try fields.int("timestamp_ms")),
                              publicKey: publicKey, signature: signature)
    }
}

/// An Ed25519 signing key in a file: `{"algorithm":"ed25519","private_key":"<hex>","public_key":"<hex>"}`.
public enum SigningKeyFile {
    /// Writes a new key to `path` (readable by its owner only); never overwrites a file.
    public static func create(at path: String) throws -> Curve25519.Signing.PrivateKey {
        let key = Curve25519.Signing.PrivateKey()
        var json = CanonicalJSONWriter()
        json.beginObject()
        json.key("algorithm"); json.string("ed25519")
        json.key("private_key"); json.string(Hex.encode(Array(key.rawRepresentation)))
        json.key("public_key"); json.string(Hex.encode(Array(key.publicKey.rawRepresentation)))
        json.endObject()
        let file = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard file >= 0 else {
            throw TreeError.badFile(path: path, reason: errno == EEXIST ? "already exists: a key is never overwritten; choose another path"
                                                                         : String(cString: strerror(errno)))
        }
        defer { close(file) }
        let bytes = json.bytes + [0x0A]
        guard bytes.withUnsafeBytes({ write(file, $0.baseAddress, $0.count) }) == bytes.count, fsync(file) == 0 else {
            throw TreeError.badFile(path: path, reason: "cannot write the key: \(String(cString: strerror(errno)))")
        }
        return key
    }

    public static func load(_ path: String) throws -> Curve25519.Signing.PrivateKey {
        guard let data = FileManager.default.contents(atPath: path) else { throw TreeError.badFile(path: path, reason: "cannot read the key file") }
        let fields = try TreeJSON.Fields([UInt8](data), source: path)
        guard let raw = Hex.decode(try fields.string("private_key")), raw.count == 32,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw fields.fail("private_key", "an Ed25519 private key of 32 bytes in hex")
        }
        return key
    }
}

extension LogTree {
    /// The head of the tree of the first `size` events, stamped with the time of its last event
    /// (log time), so the same log gives the same head on any machine.
    public func head(size: UInt64, log: any LogReading) throws -> TreeHead {
        let last = size == 0 ? nil : try log.read(from: size, limit: 1).first
        return TreeHead(treeSize: size, rootHash: try root(size: size), timestampMs: last?.timestampMs ?? 0)
    }

    /// `{"root_hash", "tree_size"}` of the tree of the first `size` events: what `clash log root`
    /// prints and `GET /v1/log/root` answers.
    public func rootJSON(size: UInt64) throws -> [UInt8] {
        var json = CanonicalJSONWriter()
        json.beginObject()
        json.key("root_hash"); json.string(try root(size: size).hex)
        json.key("tree_size"); json.uint(size)
        json.endObject()
        return json.bytes
    }
}
