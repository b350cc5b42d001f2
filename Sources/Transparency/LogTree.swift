import Crypto
import Foundation
import LedgerLog

/// The Merkle tree (RFC 9162) over every record of a log, in log order, kept in a sidecar beside
/// the log, off the append path. The sidecar holds the hash of every complete aligned subtree of
/// 2^8 leaves (`level-08`), of 2^16 (`level-16`), of 2^24 (`level-24`) and so on: each file a run
/// of 32-byte hashes in leaf order, only ever appended to. Anything else a root or a proof needs
/// is at most 128 stored hashes or one run of 256 records away, so a proof at any size is a few
/// milliseconds once caught up.
///
/// Catching up hashes the records after the last complete run of 256 (`catchUp`). On open, the
/// last stored run is checked against the log; a sidecar that does not match (the log was cut,
/// replaced or rewritten) or is damaged is discarded and rebuilt from the log. Without a
/// directory, or when the directory cannot be written (a read-only copy), the tree lives in memory.
public final class LogTree: SubtreeHashing {
    public static let runLevel = 8
    static let runLeaves = 1 << runLevel
    static let leafPrefix: [UInt8] = [0x00]
    static let nodePrefix: [UInt8] = [0x01]

    let log: any LogReading
    /// Where the sidecar is read from.
    let directory: String?
    /// Whether this tree may write the sidecar: it holds the sidecar's lock.
    private let writes: Bool
    /// `levels[i]`: the hashes of level 8·(i+1), flat.
    private var levels: [[UInt8]] = []
    /// How many bytes of each level are already in its file.
    private var persisted: [Int] = []
    /// Leaf hashes after the last complete run, flat.
    private var tail: [UInt8] = []
    private var runLeavesCache: (run: UInt64, hashes: [UInt8])?
    /// Hashes of ranges already computed (many proofs against one size share most of their nodes).
    private var computed: [Range<UInt64>: MerkleHash] = [:]
    private static let computedMax = 1 << 20
    private var lock: Int32 = -1
    /// Why the sidecar was discarded on open, if it was.
    public private(set) var discarded: String?

    /// Leaves hashed so far.
    public var size: UInt64 { UInt64(levels[0].count / 32) * UInt64(Self.runLeaves) + UInt64(tail.count / 32) }

    /// Opens the tree of `log`, its sidecar in `directory` (created if it can be; nil: in memory).
    /// One tree at a time writes the sidecar (a lock file); another, or one on a directory it cannot
    /// write, reads what the sidecar holds and hashes the rest in memory; so does one opened
    /// `readOnly`, which creates and changes nothing.
    public init(log: any LogReading, directory: String?, readOnly: Bool = false) throws {
        self.log = log
        self.directory = directory
        var writes = false
        if let path = directory, !readOnly {
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            lock = open(path + "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            writes = lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) == 0 && access(path, W_OK) == 0
        }
        self.writes = writes
        levels = [[]]
        if let directory { load(directory) }
        persisted = levels.map(\.count)
        try checkAgainstLog()
    }

    deinit {
        if lock >= 0 { close(lock) }
    }

    static func levelFile(_ directory: String, _ index: Int) -> String {
        directory + "/level-" + String(format: "%02d", (index + 1) * runLevel)
    }

    private func load(_ directory: String) {
        var loaded: [[UInt8]] = []
        while let data = FileManager.default.contents(atPath: Self.levelFile(directory, loaded.count)) {
            loaded.append([UInt8](data.prefix(data.count - data.count % 32)))
        }
        guard let first = loaded.first else { return }
        // Each level must be its level below taken 256 at a time; a torn or missing upper level is
        // recomputed from the one below.
        levels = [first]
        while levels[levels.count - 1].count / 32 >= Self.runLeaves {
            let below = levels[levels.count - 1]
            let expected = below.count / 32 / Self.runLeaves
            let index = levels.count
            if index < loaded.count, loaded[index].count / 32 == expected {
                levels.append(loaded[index])
            } else {
                levels.append(Self.reduceRuns(below, count: expected))
                if writes { try? FileManager.default.removeItem(atPath: Self.levelFile(directory, index)) }
            }
        }
    }

    private func checkAgainstLog() throws {
        let runs = UInt64(levels[0].count / 32)
        guard runs > 0 else { return }
        let head = try log.head.sequence
        var reason: String?
        if head < runs * UInt64(Self.runLeaves) {
            reason = "the sidecar covers \(runs * UInt64(Self.runLeaves)) records but the log holds \(head)"
        } else if try runRoot(runs - 1) != Array(levels[0][(Int(runs) - 1) * 32..<Int(runs) * 32]) {
            reason = "the sidecar's last run of \(Self.runLeaves) records does not match the log"
        }
        if let reason {
            discarded = reason
            levels = [[]]
            persisted = [0]
            runLeavesCache = nil
            computed = [:]
            if let directory, writes {
                for index in 0..<64 { try? FileManager.default.removeItem(atPath: Self.levelFile(directory, index)) }
            }
        }
    }

    // MARK: - Catching up

    /// Hashes the records after those already in the tree, up to `through` (default: the log's
    /// head), and appends the completed runs to the sidecar. Returns the number of records hashed.
    @discardableResult
    public func catchUp(through: UInt64? = nil) throws -> UInt64 {
        try log.refresh()
        let target = try through ?? log.head.sequence
        let start = size
        guard target > start else { return 0 }
        var hasher = SHA256()
        var hashed: UInt64 = 0
        tail.reserveCapacity(Self.runLeaves * 32)
        try log.forEachCanonical(from: start + 1) { sequence, bytes in
            guard sequence <= target else { return false }
            hasher = SHA256()
            hasher.update(data: Self.leafPrefix)
            hasher.update(bufferPointer: bytes)
            hasher.finalize().withUnsafeBytes { tail.append(contentsOf: $0) }
            hashed += 1
            if tail.count == Self.runLeaves * 32 {
                appendRun(Self.reduce(tail))
                tail.removeAll(keepingCapacity: true)
            }
            return true
        }
        try persist()
        return hashed
    }

    private func appendRun(_ hash: [UInt8]) {
        var hash = hash
        var index = 0
        while true {
            if index == levels.count {
                levels.append([])
                persisted.append(0)
            }
            levels[index].append(contentsOf: hash)
            let count = levels[index].count / 32
            guard count % Self.runLeaves == 0 else { return }
            hash = Self.reduce(Array(levels[index][(count - Self.runLeaves) * 32..<count * 32]))
            index += 1
        }
    }

    private func persist() throws {
        guard let directory, writes else { return }
        for index in levels.indices where levels[index].count > persisted[index] {
            let path = Self.levelFile(directory, index)
            let file = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            guard file >= 0 else { throw TreeError.sidecar(path: path, reason: String(cString: strerror(errno))) }
            defer { close(file) }
            let written = levels[index][persisted[index]...].withUnsafeBytes { pwrite(file, $0.baseAddress, $0.count, off_t(persisted[index])) }
            guard written == levels[index].count - persisted[index] else {
                throw TreeError.sidecar(path: path, reason: "short write")
            }
            persisted[index] = levels[index].count
        }
    }

    // MARK: - Hashes of ranges

    /// MTH of leaves `range` (0-based leaf indexes; leaf i is the record of sequence i + 1).
    public func hash(_ range: Range<UInt64>) throws -> MerkleHash {
        precondition(range.upperBound <= size, "the tree holds \(size) leaves")
        if let known = computed[range] { return known }
        let hash = try compute(range)
        if computed.count == Self.computedMax { computed.removeAll(keepingCapacity: true) }
        computed[range] = hash
        return hash
    }

    private func compute(_ range: Range<UInt64>) throws -> MerkleHash {
        let count = UInt64(range.count)
        if count == 0 { return .empty }
        let runs = UInt64(levels[0].count / 32)
        let runLeaves = UInt64(Self.runLeaves)
        let firstRun = range.lowerBound / runLeaves
        if range.lowerBound >= runs * runLeaves {
            let offset = Int(range.lowerBound - runs * runLeaves) * 32
            return MerkleHash(bytes: Self.root(tail[offset..<offset + Int(count) * 32]))
        }
        if count >= runLeaves && count & (count - 1) == 0 && range.lowerBound % count == 0 {
            let level = count.trailingZeroBitCount
            let stored = level / Self.runLevel - 1
            let span = level - (stored + 1) * Self.runLevel
            let first = Int(range.lowerBound >> ((stored + 1) * Self.runLevel))
            let hashes = levels[stored]
            if (first + (1 << span)) * 32 <= hashes.count {
                return MerkleHash(bytes: Self.reduce(Array(hashes[first * 32..<(first + (1 << span)) * 32])))
            }
        }
        if (range.upperBound - 1) / runLeaves == firstRun {
            let leaves = try leafHashes(ofRun: firstRun)
            let offset = Int(range.lowerBound - firstRun * runLeaves) * 32
            return MerkleHash(bytes: Self.root(leaves[offset..<offset + Int(count) * 32]))
        }
        let middle = range.lowerBound + MerkleTree.split(count)
        return .node(try hash(range.lowerBound..<middle), try hash(middle..<range.upperBound))
    }

    private func runRoot(_ run: UInt64) throws -> [UInt8] {
        Self.reduce(try leafHashes(ofRun: run))
    }

    private func leafHashes(ofRun run: UInt64) throws -> [UInt8] {
        if let cached = runLeavesCache, cached.run == run { return cached.hashes }
        var hashes: [UInt8] = []
        hashes.reserveCapacity(Self.runLeaves * 32)
        let first = run * UInt64(Self.runLeaves) + 1
        try log.forEachCanonical(from: first) { sequence, bytes in
            hashes.append(contentsOf: MerkleHash.leaf(bytes).bytes)
            return sequence < first + UInt64(Self.runLeaves) - 1
        }
        guard hashes.count == Self.runLeaves * 32 else {
            throw TreeError.sidecar(path: directory ?? "(memory)", reason: "the log ends inside records \(first)...\(first + UInt64(Self.runLeaves) - 1)")
        }
        runLeavesCache = (run, hashes)
        return hashes
    }

    // MARK: - Flat hash arithmetic

    /// The root of a power-of-two number of hashes, flat.
    static func reduce(_ flat: [UInt8]) -> [UInt8] {
        var level = flat
        var count = level.count / 32
        var hasher = SHA256()
        level.withUnsafeMutableBytes { buffer in
            while count > 1 {
                for pair in 0..<count / 2 {
                    hasher = SHA256()
                    hasher.update(data: Self.nodePrefix)
                    hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[pair * 64..<pair * 64 + 64]))
                    hasher.finalize().withUnsafeBytes { digest in
                        UnsafeMutableRawBufferPointer(rebasing: buffer[pair * 32..<pair * 32 + 32]).copyMemory(from: digest)
                    }
                }
                count /= 2
            }
        }
        return Array(level[0..<32])
    }

    /// MTH of any number of leaf hashes, flat.
    static func root(_ flat: ArraySlice<UInt8>) -> [UInt8] {
        let count = flat.count / 32
        if count == 0 { return MerkleHash.empty.bytes }
        if count & (count - 1) == 0 { return reduce(Array(flat)) }
        let k = Int(MerkleTree.split(UInt64(count)))
        let start = flat.startIndex
        return MerkleHash.node(MerkleHash(bytes: root(flat[start..<start + k * 32])),
                               MerkleHash(bytes: root(flat[(start + k * 32)...]))).bytes
    }

    /// Each run of 256 hashes reduced to its root.
    static func reduceRuns(_ flat: [UInt8], count: Int) -> [UInt8] {
        var out: [UInt8] = []
        for run in 0..<count {
            out += reduce(Array(flat[run * runLeaves * 32..<(run + 1) * runLeaves * 32]))
        }
        return out
    }
}
