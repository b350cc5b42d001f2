import Foundation
import LedgerLog
import Testing
@testable import Transparency

/// A log of `count` small events in a temporary directory.
struct TreeLog {
    let root = NSTemporaryDirectory() + "clash-tree-\(UUID().uuidString)"
    var logPath: String { root + "/log" }
    var treePath: String { root + "/tree" }

    func append(_ count: Int, from start: Int = 0, prefix: String = "e") throws {
        let log = try FileLog.open(directory: logPath, options: FileLogOptions(fsync: .none, segmentBytesMax: 1 << 20))
        defer { try? log.close() }
        var drafts: [EventDraft] = []
        for index in start..<(start + count) {
            var json = CanonicalJSONWriter()
            json.beginObject()
            json.key("n"); json.int(Int64(index))
            json.endObject()
            drafts.append(EventDraft(id: "\(prefix)-\(index)", type: "market.tick", stream: "s.\(index % 7)",
                                     timestampMs: 1_700_000_000_000 + Int64(index), payload: json.bytes))
            if drafts.count == 997 {
                try log.append(drafts)
                drafts = []
            }
        }
        if !drafts.isEmpty { try log.append(drafts) }
    }

    /// Every leaf hash, computed the plain way: each record re-encoded from its fields.
    func leaves() throws -> [MerkleHash] {
        var out: [MerkleHash] = []
        var writer = CanonicalJSONWriter()
        try LogReader(directory: logPath).forEach(from: 1, filter: .all) { record in
            writer.reset()
            RecordCodec.encode(record, into: &writer)
            out.append(.leaf(writer.bytes))
            return true
        }
        return out
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: root) }
}

@Suite("the Merkle tree (RFC 9162)", .timeLimit(.minutes(5)))
struct MerkleTreeTests {
    /// The eight leaves of the Certificate Transparency reference test data and its published roots.
    static let referenceLeaves: [[UInt8]] = [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ]
    static let referenceRoots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    @Test("roots of the reference data match the published ones; the empty tree is SHA-256 of nothing")
    func referenceRoots() throws {
        let tree = MemoryTree(leaves: Self.referenceLeaves.map { MerkleHash.leaf($0) })
        for size in 1...8 {
            #expect(try tree.root(size: UInt64(size)).hex == Self.referenceRoots[size - 1], "size \(size)")
        }
        #expect(MerkleHash.empty.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("every inclusion and consistency proof of small trees verifies; any changed hash, index or size fails")
    func proofsVerify() throws {
        let tree = MemoryTree(leaves: (0..<70).map { MerkleHash.leaf(Array("leaf \($0)".utf8)) })
        for size in UInt64(1)...70 {
            let root = try tree.root(size: size)
            for index in 0..<size {
                let path = try tree.inclusionPath(index: index, size: size)
                let leaf = tree.leaves[Int(index)]
                #expect(MerkleVerifier.verifyInclusion(leafIndex: index, treeSize: size, leafHash: leaf, path: path, root: root))
                #expect(!MerkleVerifier.verifyInclusion(leafIndex: index, treeSize: size, leafHash: tree.leaves[Int((index + 1) % 70)], path: path, root: root))
                #expect(!MerkleVerifier.verifyInclusion(leafIndex: index, treeSize: size, leafHash: leaf, path: path, root: .leaf([9])))
                #expect(!MerkleVerifier.verifyInclusion(leafIndex: size, treeSize: size, leafHash: leaf, path: path, root: root))
                if size > 1 {
                    #expect(!MerkleVerifier.verifyInclusion(leafIndex: (index + 1) % size, treeSize: size, leafHash: leaf, path: path, root: root))
                    #expect(!MerkleVerifier.verifyInclusion(leafIndex: index, treeSize: size, leafHash: leaf, path: Array(path.dropLast()), root: root))
                }
            }
            for first in UInt64(1)...size {
                let path = try tree.consistencyPath(first: first, second: size)
                let firstRoot = try tree.root(size: first)
                #expect(MerkleVerifier.verifyConsistency(firstSize: first, secondSize: size, firstRoot: firstRoot, secondRoot: root, path: path),
                        "\(first) → \(size)")
                if first < size {
                    var forged = path
                    forged[forged.count - 1] = .leaf([1])
                    #expect(!MerkleVerifier.verifyConsistency(firstSize: first, secondSize: size, firstRoot: firstRoot, secondRoot: root, path: forged))
                    #expect(!MerkleVerifier.verifyConsistency(firstSize: first, secondSize: size, firstRoot: .leaf([9]), secondRoot: root, path: path))
                }
            }
        }
    }

    @Test("the stored bytes a leaf hashes are the record re-encoded: the file log and the plain reading agree")
    func canonicalBytes() throws {
        let log = TreeLog()
        defer { log.cleanup() }
        try log.append(3_000)
        var stored: [MerkleHash] = []
        try LogReader(directory: log.logPath).forEachCanonical(from: 1) { _, bytes in
            stored.append(.leaf(bytes))
            return true
        }
        #expect(stored == (try log.leaves()))
    }

    @Test("the sidecar gives the same roots and proofs as the plain tree at every kind of size, caught up in steps or at once")
    func sidecarMatchesPlainTree() throws {
        let log = TreeLog()
        defer { log.cleanup() }
        try log.append(70_000)
        let plain = MemoryTree(leaves: try log.leaves())
        let reader = try LogReader(directory: log.logPath)
        let stepped = try LogTree(log: reader, directory: log.treePath)
        for through in [1, 255, 256, 257, 65_535, 65_536, 65_537, 70_000] {
            try stepped.catchUp(through: UInt64(through))
            #expect(stepped.size == UInt64(through))
            #expect(try stepped.root(size: UInt64(through)) == plain.root(size: UInt64(through)))
        }
        let reopened = try LogTree(log: reader, directory: log.treePath)
        #expect(reopened.discarded == nil)
        #expect(try reopened.catchUp() == 70_000 - 256 * (70_000 / 256))
        let memory = try LogTree(log: reader, directory: nil)
        try memory.catchUp()
        var random = UInt64(12345)
        for size in [UInt64(1), 2, 255, 256, 257, 511, 512, 513, 65_536, 65_537, 69_999, 70_000] {
            #expect(try reopened.root(size: size) == plain.root(size: size))
            for _ in 0..<20 {
                random = random &* 6_364_136_223_846_793_005 &+ 1
                let index = (random >> 20) % size
                let first = 1 + (random >> 7) % size
                #expect(try reopened.inclusionPath(index: index, size: size) == plain.inclusionPath(index: index, size: size), "\(index) in \(size)")
                #expect(try memory.inclusionPath(index: index, size: size) == plain.inclusionPath(index: index, size: size))
                #expect(try reopened.consistencyPath(first: first, second: size) == plain.consistencyPath(first: first, second: size),
                        "\(first) → \(size)")
            }
        }
        #expect(FileManager.default.fileExists(atPath: log.treePath + "/level-16"))
    }

    @Test("a damaged, cut or foreign sidecar is found on open and rebuilt from the log")
    func damagedSidecarIsRebuilt() throws {
        let log = TreeLog()
        defer { log.cleanup() }
        try log.append(5_000)
        let reader = try LogReader(directory: log.logPath)
        let root = try { () throws -> MerkleHash in
            let tree = try LogTree(log: reader, directory: log.treePath)
            try tree.catchUp()
            return try tree.root(size: 5_000)
        }()
        let level = log.treePath + "/level-08"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: level))
        bytes[bytes.count - 5] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: level))
        let repaired = try LogTree(log: reader, directory: log.treePath)
        #expect(repaired.discarded?.contains("does not match the log") == true)
        try repaired.catchUp()
        #expect(try repaired.root(size: 5_000) == root)

        // A torn last hash is cut off and hashed again.
        bytes = try Data(contentsOf: URL(fileURLWithPath: level))
        try bytes.prefix(bytes.count - 7).write(to: URL(fileURLWithPath: level))
        let torn = try LogTree(log: reader, directory: log.treePath)
        #expect(torn.discarded == nil)
        try torn.catchUp()
        #expect(try torn.root(size: 5_000) == root)

        // Another log in the same place: the sidecar is not its tree.
        let other = TreeLog()
        defer { other.cleanup() }
        try other.append(5_000, prefix: "other")
        let foreign = try LogTree(log: try LogReader(directory: other.logPath), directory: log.treePath)
        #expect(foreign.discarded != nil)
        try foreign.catchUp()
        #expect(try foreign.root(size: 5_000) == MemoryTree(leaves: try other.leaves()).root(size: 5_000))
    }
}
