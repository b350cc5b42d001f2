import EventSchemas
import Canonical

/// Puts a prompt together from its parts, in a fixed order (rule v1): the system text, the
/// strategy's prompt text, the context packet, and the decision answer schema. The same parts
/// always give the same bytes and hash.
public enum PromptAssembly {
    public static let version = 1

    public static let systemText = """
        You are the decision engine of a paper-trading clone in Clash of Clones. You receive the \
        owner's strategy, then a context packet of market data for one asset as of one time (JSON: \
        integers at the scale in each field name, e8 = 10^-8; a channel marked stale has no data fresher \
        than its window). Decide one action for this asset now. Answer with one JSON object that \
        validates against the answer schema at the end, and nothing else.
        """

    public struct Prompt: Sendable, Equatable {
        /// The whole prompt: the system text's section, then `userText`.
        public var bytes: [UInt8]
        public var hash: String
        /// What a chat model is sent as the user's message: the strategy, the packet, the schema.
        public var userText: String
    }

    public static func assemble(strategyPrompt: String, packet: ContextPacket,
                                answerSchema: [UInt8] = DocumentSchemas.decisionAnswer) -> Prompt {
        var user = Array("# Strategy\n\(strategyPrompt)\n\n# Context packet\n".utf8)
        user += packet.bytes
        user += Array("\n\n# Answer schema\n".utf8)
        user += answerSchema
        user.append(0x0A)
        let bytes = Array("# System (prompt assembly v\(version))\n\(systemText)\n\n".utf8) + user
        return Prompt(bytes: bytes, hash: ContentHash.of(bytes), userText: String(decoding: user, as: UTF8.self))
    }
}
