import ClashCore
import Canonical

/// What a decision engine proposes for one run: an action with its size, leverage and triggers.
/// Amounts are fixed-point integers: USD × 10^6, prices × 10^8, confidence in basis points.
public struct Decision: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable {
        case openLong = "open_long", openShort = "open_short", close, hold
    }

    public var action: Action
    public var sizeUsdE6: Int64
    public var leverage: Int64
    public var stopLossE8: Int64?
    public var takeProfitE8: Int64?
    public var confidenceBp: Int64
    public var reason: String

    public init(action: Action, sizeUsdE6: Int64 = 0, leverage: Int64 = 0, stopLossE8: Int64? = nil, takeProfitE8: Int64? = nil,
                confidenceBp: Int64 = 0, reason: String = "") {
        self.action = action
        self.sizeUsdE6 = sizeUsdE6
        self.leverage = leverage
        self.stopLossE8 = stopLossE8
        self.takeProfitE8 = takeProfitE8
        self.confidenceBp = confidenceBp
        self.reason = reason
    }

    /// A hold, for engines that hold and for answers that cannot be used.
    public static func hold(_ reason: String) -> Decision { Decision(action: .hold, reason: reason) }

    public static let reasonCharactersMax = 2_000

    /// Reads an answer as the decision answer schema (v1) defines it: one JSON object, the seven
    /// members and no others, decimal strings for money and prices (parsed digit by digit, never
    /// through floating point), a confidence from 0 to 1. Anything else is refused with the member
    /// at fault, so the run holds with that cause.
    public static func parse(_ bytes: [UInt8]) throws(AnswerError) -> Decision {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes, allowingDecimals: true)
        } catch {
            throw AnswerError(member: "", reason: "not JSON: \(error)")
        }
        guard case .object(let members) = value else { throw AnswerError(member: "", reason: "not a JSON object") }
        let known: Set<String> = ["action", "size_usd", "leverage", "stop_loss", "take_profit", "confidence", "reason"]
        if let extra = members.first(where: { !known.contains($0.key) }) { throw AnswerError(member: extra.key, reason: "is not a member of the answer") }
        func member(_ key: String) throws(AnswerError) -> JSONValue {
            guard let found = members.first(where: { $0.key == key }) else { throw AnswerError(member: key, reason: "is missing") }
            return found.value
        }
        guard case .string(let actionText) = try member("action"), let action = Action(rawValue: actionText) else {
            throw AnswerError(member: "action", reason: "is not open_long, open_short, close or hold")
        }
        guard case .string(let sizeText) = try member("size_usd"), let size = (try? FixedPoint.parse(sizeText, scale: 6, syntax: .plain)), size >= 0 else {
            throw AnswerError(member: "size_usd", reason: "is not a decimal string of at most 6 decimals")
        }
        guard case .integer(let leverageText) = try member("leverage"), let leverage = Int64(leverageText), (0...100).contains(leverage) else {
            throw AnswerError(member: "leverage", reason: "is not an integer from 0 to 100")
        }
        func price(_ key: String) throws(AnswerError) -> Int64? {
            switch try member(key) {
            case .null: return nil
            case .string(let text):
                guard let price = (try? FixedPoint.parse(text, scale: 8, syntax: .plain)), price > 0 else {
                    throw AnswerError(member: key, reason: "is not a positive decimal string of at most 8 decimals")
                }
                return price
            default: throw AnswerError(member: key, reason: "is not a decimal string or null")
            }
        }
        let confidence: Int64?
        switch try member("confidence") {
        case .integer(let text): confidence = (try? FixedPoint.parse(text, scale: 4, syntax: .plain))
        case .decimal(let text): confidence = (try? FixedPoint.parse(text, scale: 4, rounding: .towardZero, syntax: .plain))
        default: confidence = nil
        }
        guard let confidence, (0...10_000).contains(confidence) else { throw AnswerError(member: "confidence", reason: "is not a number from 0 to 1") }
        guard case .string(let reason) = try member("reason"), reason.count <= reasonCharactersMax else {
            throw AnswerError(member: "reason", reason: "is not a text of at most \(reasonCharactersMax) characters")
        }
        return Decision(action: action, sizeUsdE6: size, leverage: leverage, stopLossE8: try price("stop_loss"),
                        takeProfitE8: try price("take_profit"), confidenceBp: confidence, reason: reason)
    }
}

/// An answer that breaks the decision answer schema.
public struct AnswerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var member: String
    public var reason: String

    public var description: String { member.isEmpty ? "the answer is \(reason)" : "the answer's \(member) \(reason)" }
}
