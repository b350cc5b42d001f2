import Foundation
import Canonical

/// How much of a strategy its owner edits: Basic (a graph generated from a few choices), Custom
/// (individual assets plus source and risk presets), Power (every block).
public enum Granularity: String, Codable, Sendable, CaseIterable {
    case basic, custom, power
}

/// A clone's private strategy: blocks with typed ports, the edges between them, a layout for a
/// canvas editor, the granularity it is edited at, and the document version.
///
///     Data Stream -> Trading Prompt <- Asset;  Trading Prompt -> Trading Clone
///
/// Stored in the artifact store as canonical JSON, named by its SHA-256; events carry the hash.
public struct StrategyGraph: Codable, Sendable, Equatable {
    /// The document version this build reads and writes.
    public static let documentVersion = 1

    public var graphVersion: Int
    public var granularity: Granularity
    /// The choices a Basic or Custom graph was generated from; nil for Power.
    public var choices: StrategyChoices?
    public var blocks: [Block]
    public var edges: [Edge]
    /// Position and size of each block on the canvas, by block id.
    public var layout: [String: Frame]

    enum CodingKeys: String, CodingKey {
        case graphVersion = "graph_version"
        case granularity, choices, blocks, edges, layout
    }

    public init(granularity: Granularity, choices: StrategyChoices? = nil, blocks: [Block], edges: [Edge], layout: [String: Frame] = [:]) {
        self.graphVersion = Self.documentVersion
        self.granularity = granularity
        self.choices = choices
        self.blocks = blocks
        self.edges = edges
        self.layout = layout
    }

    /// One block. Which members it has depends on its kind; validation names the ones missing.
    public struct Block: Codable, Sendable, Equatable {
        public var id: String
        /// data_stream, asset, trading_prompt or trading_clone.
        public var kind: String
        // data_stream
        public var source: String?
        public var channels: [Channel]?
        // asset
        public var category: String?
        public var include: [String]?
        public var exclude: [String]?
        // trading_prompt
        public var prompt: String?
        public var cadence: String?
        public var execution: ExecutionControls?
        /// The rule the `rules` engine plays for this prompt (`RuleEngine.rules`); absent: momentum.
        public var rule: String?

        public init(id: String, kind: String, source: String? = nil, channels: [Channel]? = nil, category: String? = nil,
                    include: [String]? = nil, exclude: [String]? = nil, prompt: String? = nil, cadence: String? = nil,
                    execution: ExecutionControls? = nil, rule: String? = nil) {
            self.rule = rule
            self.id = id
            self.kind = kind
            self.source = source
            self.channels = channels
            self.category = category
            self.include = include
            self.exclude = exclude
            self.prompt = prompt
            self.cadence = cadence
            self.execution = execution
        }
    }

    /// A channel of a Data Stream block, with its options.
    public struct Channel: Codable, Sendable, Equatable, Hashable {
        public var name: String
        /// candles: 1m, 5m, 15m, 1h or 4h.
        public var interval: String?
        /// candles: how many; discovery and recently_closed: how many markets.
        public var lookback: Int?

        public init(name: String, interval: String? = nil, lookback: Int? = nil) {
            self.name = name
            self.interval = interval
            self.lookback = lookback
        }
    }

    /// A Trading Prompt's execution controls. USD amounts are whole dollars.
    public struct ExecutionControls: Codable, Sendable, Equatable, Hashable {
        public var maxLeverage: Int64
        public var maxOrderNotionalUsd: Int64
        public var maxAccountNotionalUsd: Int64
        public var maxOpenPositions: Int64
        /// open_long, open_short, close, hold.
        public var allowedActions: [String]

        enum CodingKeys: String, CodingKey {
            case maxLeverage = "max_leverage"
            case maxOrderNotionalUsd = "max_order_notional_usd"
            case maxAccountNotionalUsd = "max_account_notional_usd"
            case maxOpenPositions = "max_open_positions"
            case allowedActions = "allowed_actions"
        }

        public init(maxLeverage: Int64, maxOrderNotionalUsd: Int64, maxAccountNotionalUsd: Int64, maxOpenPositions: Int64,
                    allowedActions: [String]) {
            self.maxLeverage = maxLeverage
            self.maxOrderNotionalUsd = maxOrderNotionalUsd
            self.maxAccountNotionalUsd = maxAccountNotionalUsd
            self.maxOpenPositions = maxOpenPositions
            self.allowedActions = allowedActions
        }
    }

    /// One end of an edge: a block and one of its ports.
    public struct Port: Codable, Sendable, Equatable, Hashable {
        public var block: String
        public var port: String

        public init(_ block: String, _ port: String) {
            self.block = block
            self.port = port
        }
    }

    public struct Edge: Codable, Sendable, Equatable, Hashable {
        public var from: Port
        public var to: Port

        public init(from: Port, to: Port) {
            self.from = from
            self.to = to
        }
    }

    /// A block's place on the canvas, in canvas units.
    public struct Frame: Codable, Sendable, Equatable {
        public var x: Int64
        public var y: Int64
        public var width: Int64
        public var height: Int64

        public init(x: Int64, y: Int64, width: Int64, height: Int64) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }
    }

    // MARK: - Bytes

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The canonical JSON the artifact store keeps: sorted keys, no whitespace, integers only.
    public func canonicalBytes() throws -> [UInt8] {
        try Self.canonical(self)
    }

    /// Canonical JSON of any value of the strategy's types (a read plan, a problem).
    public static func canonical<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        try CanonicalJSON.canonicalize(Array(try encoder().encode(value)))
    }

    /// Indented JSON for people (templates, `clones show --as owner`).
    public func prettyBytes() throws -> [UInt8] {
        let encoder = Self.encoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return Array(try encoder.encode(self))
    }

    /// The SHA-256 (hex) of the canonical bytes: the strategy hash events carry.
    public func hash() throws -> String { ContentHash.of(try canonicalBytes()) }

    /// Reads a document; a document that is not JSON of this shape is refused with every problem
    /// the decoder met, as validation problems (code `graph.malformed`, with the JSON pointer).
    public static func decode(_ bytes: [UInt8]) throws(GraphProblems) -> StrategyGraph {
        let decoder = JSONDecoder()
        do {
            return try decoder.decode(StrategyGraph.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw GraphProblems([GraphProblem.decoding(error)])
        } catch {
            throw GraphProblems([GraphProblem(code: "graph.malformed", pointer: "", message: "the document is not JSON: \(error)")])
        }
    }
}
