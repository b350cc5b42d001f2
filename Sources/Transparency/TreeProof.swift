import LedgerLog

/// An inclusion proof (RFC 9162 §2.1.3): leaf `leafIndex` (the record of sequence leafIndex + 1)
/// is in the tree of `treeSize` leaves whose root is `rootHash`.
public struct InclusionProof: Sendable, Equatable {
    public var leafIndex: UInt64
    public var treeSize: UInt64
    public var leafHash: MerkleHash
    public var rootHash: MerkleHash
    public var path: [MerkleHash]

    public init(leafIndex: UInt64, treeSize: UInt64, leafHash: MerkleHash, rootHash: MerkleHash, path: [MerkleHash]) {
        self.leafIndex = leafIndex
        self.treeSize = treeSize
        self.leafHash = leafHash
        self.rootHash = rootHash
        self.path = path
    }

    /// The proof of the record of `sequence` in the tree of the first `size` records.
    public init(tree: some SubtreeHashing, sequence: UInt64, size: UInt64) throws {
        guard sequence >= 1, sequence <= size else { throw TreeError.badSequence(sequence, head: size) }
        self.init(leafIndex: sequence - 1, treeSize: size, leafHash: try tree.hash(sequence - 1..<sequence),
                  rootHash: try tree.root(size: size), path: try tree.inclusionPath(index: sequence - 1, size: size))
    }

    public var isValid: Bool {
        MerkleVerifier.verifyInclusion(leafIndex: leafIndex, treeSize: treeSize, leafHash: leafHash, path: path, root: rootHash)
    }

    public func write(to json: inout CanonicalJSONWriter) {
        json.beginObject()
        json.key("inclusion_path"); TreeJSON.write(path, to: &json)
        json.key("leaf_hash"); TreeJSON.write(leafHash, to: &json)
        json.key("leaf_index"); json.uint(leafIndex)
        json.key("root_hash"); TreeJSON.write(rootHash, to: &json)
        json.key("tree_size"); json.uint(treeSize)
        json.endObject()
    }
}

/// A consistency proof (RFC 9162 §2.1.4): the tree of `firstSize` leaves is a prefix of the tree
/// of `secondSize` leaves.
public struct ConsistencyProof: Sendable, Equatable {
    public var firstSize: UInt64
    public var secondSize: UInt64
    public var firstRoot: MerkleHash
    public var secondRoot: MerkleHash
    public var path: [MerkleHash]

    public init(firstSize: UInt64, secondSize: UInt64, firstRoot: MerkleHash, secondRoot: MerkleHash, path: [MerkleHash]) {
        self.firstSize = firstSize
        self.secondSize = secondSize
        self.firstRoot = firstRoot
        self.secondRoot = secondRoot
        self.path = path
    }

    public init(tree: some SubtreeHashing, from first: UInt64, to second: UInt64) throws {
        guard first <= second else { throw TreeError.badSize(requested: first, available: second) }
        self.init(firstSize: first, secondSize: second, firstRoot: try tree.root(size: first), secondRoot: try tree.root(size: second),
                  path: try tree.consistencyPath(first: first, second: second))
    }

    public var isValid: Bool {
        MerkleVerifier.verifyConsistency(firstSize: firstSize, secondSize: secondSize, firstRoot: firstRoot,
                                         secondRoot: secondRoot, path: path)
    }

    public func write(to json: inout CanonicalJSONWriter) {
        json.beginObject()
        json.key("consistency_path"); TreeJSON.write(path, to: &json)
        json.key("first_root"); TreeJSON.write(firstRoot, to: &json)
        json.key("first_size"); json.uint(firstSize)
        json.key("second_root"); TreeJSON.write(secondRoot, to: &json)
        json.key("second_size"); json.uint(secondSize)
        json.endObject()
    }
}

/// Either proof, as read from a file.
public enum TreeProof: Sendable, Equatable {
    case inclusion(InclusionProof)
    case consistency(ConsistencyProof)

    public var isValid: Bool {
        switch self {
        case .inclusion(let proof): proof.isValid
        case .consistency(let proof): proof.isValid
        }
    }

    /// Parses a proof as `log prove` prints it; `source` names it in errors.
    public static func parse(_ bytes: [UInt8], source: String) throws -> TreeProof {
        let fields = try TreeJSON.Fields(bytes, source: source)
        if fields.has("inclusion_path") {
            return .inclusion(InclusionProof(
                leafIndex: try fields.uint("leaf_index"), treeSize: try fields.uint("tree_size"), leafHash: try fields.hash("leaf_hash"),
                rootHash: try fields.hash("root_hash"), path: try fields.hashes("inclusion_path")))
        }
        if fields.has("consistency_path") {
            return .consistency(ConsistencyProof(
                firstSize: try fields.uint("first_size"), secondSize: try fields.uint("second_size"),
                firstRoot: try fields.hash("first_root"), secondRoot: try fields.hash("second_root"),
                path: try fields.hashes("consistency_path")))
        }
        throw TreeError.badFile(path: source, reason: "neither an inclusion proof (inclusion_path) nor a consistency proof (consistency_path)")
    }
}

/// Reading and writing the hex and integers of proofs and tree heads.
enum TreeJSON {
    static func write(_ hashes: [MerkleHash], to json: inout CanonicalJSONWriter) {
        json.beginArray()
        for hash in hashes { write(hash, to: &json) }
        json.endArray()
    }

    /// A hash as a JSON string: hex needs no escaping, so its bytes go in as they are.
    static func write(_ hash: MerkleHash, to json: inout CanonicalJSONWriter) {
        json.raw(Array(("\"" + hash.hex + "\"").utf8))
    }

    /// The members of a JSON object, each read with an error naming the file and the field.
    struct Fields {
        let value: JSONValue
        let source: String

        init(_ bytes: [UInt8], source: String) throws {
            do {
                value = try JSONValue.parse(bytes)
            } catch {
                throw TreeError.badFile(path: source, reason: "not JSON: \(error)")
            }
            guard case .object = value else { throw TreeError.badFile(path: source, reason: "not a JSON object") }
            self.source = source
        }

        func has(_ key: String) -> Bool { value[key] != nil }

        func fail(_ key: String, _ expected: String) -> TreeError {
            TreeError.badFile(path: source, reason: "field \(key): expected \(expected)")
        }

        func uint(_ key: String) throws -> UInt64 {
            guard case .integer(let digits)? = value[key], let number = UInt64(digits) else { throw fail(key, "a non-negative integer") }
            return number
        }

        func int(_ key: String) throws -> Int64 {
            guard case .integer(let digits)? = value[key], let number = Int64(digits) else { throw fail(key, "an integer") }
            return number
        }

        func string(_ key: String) throws -> String {
            guard case .string(let text)? = value[key] else { throw fail(key, "a string") }
            return text
        }

        func hash(_ key: String) throws -> MerkleHash {
            guard let hash = MerkleHash(hex: try string(key)) else { throw fail(key, "64 lower-case hex digits") }
            return hash
        }

        func hashes(_ key: String) throws -> [MerkleHash] {
            guard case .array(let items)? = value[key] else { throw fail(key, "an array of hashes") }
            return try items.map { item in
                guard case .string(let text) = item, let hash = MerkleHash(hex: text) else { throw fail(key, "64 lower-case hex digits per hash") }
                return hash
            }
        }
    }
}
