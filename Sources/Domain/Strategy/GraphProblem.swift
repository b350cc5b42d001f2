/// One problem of a strategy graph: a stable code, where (a JSON pointer into the document), and
/// what to do.
public struct GraphProblem: Codable, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var pointer: String
    public var message: String

    public init(code: String, pointer: String, message: String) {
        self.code = code
        self.pointer = pointer
        self.message = message
    }

    public var description: String { "\(pointer.isEmpty ? "/" : pointer): \(message) [\(code)]" }

    /// A problem the JSON decoder met (a missing member, a wrong type), at its path.
    static func decoding(_ error: DecodingError) -> GraphProblem {
        func pointer(_ path: [any CodingKey]) -> String {
            path.map { "/" + ($0.intValue.map(String.init) ?? $0.stringValue) }.joined()
        }
        switch error {
        case let .keyNotFound(key, context):
            return GraphProblem(code: "graph.missing_member", pointer: pointer(context.codingPath + [key]),
                                message: "the member \(key.stringValue) is missing")
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return GraphProblem(code: "graph.wrong_type", pointer: pointer(context.codingPath), message: context.debugDescription)
        case let .dataCorrupted(context):
            return GraphProblem(code: "graph.malformed", pointer: pointer(context.codingPath), message: context.debugDescription)
        @unknown default:
            return GraphProblem(code: "graph.malformed", pointer: "", message: "\(error)")
        }
    }
}

/// Every problem of a graph at once; the graph is refused whole.
public struct GraphProblems: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [GraphProblem]

    public init(_ problems: [GraphProblem]) {
        self.problems = problems
    }

    public var codes: [String] { problems.map(\.code) }

    public var description: String {
        "the strategy graph has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
            + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}

/// What validation and compiling ask of market memory: the assets a selection picks and an
/// asset's maximum leverage. Without one, only what the graph says of itself is checked.
public protocol AssetUniverse {
    /// The listed symbols an Asset block picks, in order. Throws a message for an include that
    /// no universe lists, or a delisted one.
    func select(category: String?, include: [String], exclude: [String]) throws -> [String]
    /// The asset's maximum leverage, or nil when market memory does not know it.
    func maxLeverage(_ symbol: String) -> Int64?
}
