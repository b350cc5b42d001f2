/// What stops a proof or a tree head check, each saying what to do.
public enum TreeError: Error, CustomStringConvertible {
    case sidecar(path: String, reason: String)
    case badSize(requested: UInt64, available: UInt64)
    case badSequence(UInt64, head: UInt64)
    case badFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .sidecar(let path, let reason): "the Merkle tree sidecar \(path): \(reason)"
        case .badSize(let requested, let available):
            "tree size \(requested) is larger than the log (\(available) records): give --size at most \(available)"
        case .badSequence(let sequence, let head):
            "sequence \(sequence) is not in the tree (1...\(head)): give a --seq within it"
        case .badFile(let path, let reason): "\(path): \(reason)"
        }
    }
}
