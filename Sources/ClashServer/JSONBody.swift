import Foundation
import Hummingbird

/// A request's JSON object body, read up to the body limit, decoded into a request type; an error
/// says which field and what to send (400 `request.bad_body`).
struct JSONBody {
    let bytes: Data

    static func read(_ request: Request, limit: Int) async throws -> JSONBody {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw Problem(.contentTooLarge, "request.body_too_large", "the body is over \(limit) bytes")
        }
        return JSONBody(bytes: Data(buffer.readableBytesView))
    }

    func decode<Body: Decodable>(_ type: Body.Type) throws -> Body {
        do {
            return try JSONDecoder().decode(Body.self, from: bytes)
        } catch let DecodingError.keyNotFound(key, context) {
            throw Problem(.badRequest, "request.bad_body", "field \(Self.path(context.codingPath + [key])): required")
        } catch let DecodingError.typeMismatch(expected, context) {
            throw Problem(.badRequest, "request.bad_body", "field \(Self.path(context.codingPath)): give a \(expected)")
        } catch let DecodingError.valueNotFound(expected, context) {
            throw Problem(.badRequest, "request.bad_body", "field \(Self.path(context.codingPath)): give a \(expected), not null")
        } catch {
            throw Problem(.badRequest, "request.bad_body", "send a JSON object (Content-Type: application/json)")
        }
    }

    /// A member that is itself a JSON object, as bytes (nil when absent).
    func object(_ key: String) throws -> [UInt8]? {
        guard let parsed = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any] else {
            throw Problem(.badRequest, "request.bad_body", "send a JSON object (Content-Type: application/json)")
        }
        guard let value = parsed[key], !(value is NSNull) else { return nil }
        guard value is [String: Any] else { throw Problem(.badRequest, "request.bad_body", "field \(key): give a JSON object") }
        return Array(try JSONSerialization.data(withJSONObject: value))
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
