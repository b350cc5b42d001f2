/// RFC 9162's verification algorithms, needing nothing but the proof: §2.1.3.2 (inclusion) and
/// §2.1.4.2 (consistency).
public enum MerkleVerifier {
    public static func verifyInclusion(leafIndex: UInt64, treeSize: UInt64, leafHash: MerkleHash,
                                       path: [MerkleHash], root: MerkleHash) -> Bool {
        guard leafIndex < treeSize else { return false }
        var fn = leafIndex
        var sn = treeSize - 1
        var r = leafHash
        for p in path {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                r = .node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = .node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    public static func verifyConsistency(firstSize: UInt64, secondSize: UInt64, firstRoot: MerkleHash,
                                         secondRoot: MerkleHash, path: [MerkleHash]) -> Bool {
        guard firstSize <= secondSize else { return false }
        if firstSize == secondSize { return path.isEmpty && firstRoot == secondRoot }
        if firstSize == 0 { return path.isEmpty && firstRoot == .empty }
        guard !path.isEmpty else { return false }
        var path = path
        if firstSize & (firstSize - 1) == 0 { path.insert(firstRoot, at: 0) }
        var fn = firstSize - 1
        var sn = secondSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                fr = .node(c, fr)
                sr = .node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = .node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == firstRoot && sr == secondRoot && sn == 0
    }
}
