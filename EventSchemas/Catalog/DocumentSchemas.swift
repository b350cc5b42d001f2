import Foundation

/// JSON Schemas of documents that are not events: the strategy graph (kept in the artifact store)
/// and the decision answer a prompt asks for. In `EventSchemas/documents/`.
public enum DocumentSchemas {
    /// The answer schema every assembled prompt ends with, as stored (its bytes are hashed into prompts).
    public static let decisionAnswer: [UInt8] = load("decision_answer.v1")
    public static let strategyGraph: [UInt8] = load("strategy_graph.v1")

    private static func load(_ name: String) -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name + ".schema", withExtension: "json", subdirectory: "documents"),
              let data = try? Data(contentsOf: url) else {
            preconditionFailure("the bundle holds documents/\(name).schema.json")
        }
        return Array(data)
    }
}
