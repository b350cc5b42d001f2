/// The Merkle tree hash of any range of leaves, MTH(D[start:end]) in RFC 9162's notation. The
/// proofs below are RFC 9162 §2.1.3.1 (PATH) and §2.1.4.1 (PROOF) written over it, so a store
/// that answers ranges fast (a sidecar of subtree hashes) makes fast proofs.
public protocol SubtreeHashing {
    func hash(_ leaves: Range<UInt64>) throws -> MerkleHash
}

public enum MerkleTree {
    /// The largest power of two smaller than `n` (n > 1): where RFC 9162 splits a tree of n leaves.
    public static func split(_ n: UInt64) -> UInt64 {
        precondition(n > 1)
        return UInt64(1) << (63 - (n - 1).leadingZeroBitCount)
    }
}

extension SubtreeHashing {
    /// The root of the tree of the first `size` leaves.
    public func root(size: UInt64) throws -> MerkleHash {
        try hash(0..<size)
    }

    /// The inclusion path of leaf `index` in the tree of the first `size` leaves, bottom up.
    public func inclusionPath(index: UInt64, size: UInt64) throws -> [MerkleHash] {
        precondition(index < size)
        var path: [MerkleHash] = []
        try collectPath(index, 0..<size, into: &path)
        return path
    }

    private func collectPath(_ index: UInt64, _ range: Range<UInt64>, into path: inout [MerkleHash]) throws {
        let n = UInt64(range.count)
        guard n > 1 else { return }
        let middle = range.lowerBound + MerkleTree.split(n)
        if index < middle {
            try collectPath(index, range.lowerBound..<middle, into: &path)
            path.append(try hash(middle..<range.upperBound))
        } else {
            try collectPath(index, middle..<range.upperBound, into: &path)
            path.append(try hash(range.lowerBound..<middle))
        }
    }

    /// The consistency proof between the trees of the first `first` and `second` leaves.
    public func consistencyPath(first: UInt64, second: UInt64) throws -> [MerkleHash] {
        precondition(first <= second)
        guard first > 0, first < second else { return [] }
        var path: [MerkleHash] = []
        try collectSubproof(first, 0..<second, whole: true, into: &path)
        return path
    }

    private func collectSubproof(_ m: UInt64, _ range: Range<UInt64>, whole: Bool, into path: inout [MerkleHash]) throws {
        let n = UInt64(range.count)
        if m == n {
            if !whole { path.append(try hash(range)) }
            return
        }
        let k = MerkleTree.split(n)
        let middle = range.lowerBound + k
        if m <= k {
            try collectSubproof(m, range.lowerBound..<middle, whole: whole, into: &path)
            path.append(try hash(middle..<range.upperBound))
        } else {
            try collectSubproof(m - k, middle..<range.upperBound, whole: false, into: &path)
            path.append(try hash(range.lowerBound..<middle))
        }
    }
}

/// Leaf hashes held in memory, the perfect subtrees computed once: the reference the sidecar is
/// tested against, and the tree of a log small enough to hash whole.
public struct MemoryTree: SubtreeHashing {
    public let leaves: [MerkleHash]
    /// `levels[k][i]`: the hash of leaves i·2^k ..< (i+1)·2^k.
    private let levels: [[MerkleHash]]

    public init(leaves: [MerkleHash]) {
        self.leaves = leaves
        var levels = [leaves]
        while levels[levels.count - 1].count > 1 {
            let below = levels[levels.count - 1]
            levels.append((0..<below.count / 2).map { MerkleHash.node(below[2 * $0], below[2 * $0 + 1]) })
        }
        self.levels = levels
    }

    public func hash(_ range: Range<UInt64>) throws -> MerkleHash {
        let count = UInt64(range.count)
        if count == 0 { return .empty }
        if count & (count - 1) == 0 && range.lowerBound % count == 0 {
            let level = count.trailingZeroBitCount
            return levels[level][Int(range.lowerBound >> level)]
        }
        let middle = range.lowerBound + MerkleTree.split(count)
        return .node(try hash(range.lowerBound..<middle), try hash(middle..<range.upperBound))
    }
}
