import Foundation
import Hummingbird

/// Public answers kept while the log's head stays where it was: the same request at the same head
/// gets the same bytes, so a second asker is served from memory. Only requests that send no
/// credentials are kept (a signed-in answer may depend on who asks). The head moves when the live
/// feed's follower sees an append (within `LiveHead.pollMilliseconds`) or at once after the
/// server's own writes, and every kept answer is dropped then.
final class AnswerCache: @unchecked Sendable {
    private let lock = NSLock()
    private var head: UInt64 = 0
    private var answers: [String: [UInt8]] = [:]
    /// The most answers kept at once; past it, nothing more is kept until the head moves.
    let answersMax: Int

    init(answersMax: Int = 10_000) { self.answersMax = answersMax }

    /// The log's head moved to `sequence`: what was kept is dropped.
    func moved(to sequence: UInt64) {
        lock.withLock {
            guard sequence != head else { return }
            head = sequence
            answers.removeAll(keepingCapacity: true)
        }
    }

    /// The answer to `request` at the current head: kept bytes, or `compute`'s (kept when it succeeds).
    func answer(_ request: Request, type: String = "application/json", _ compute: () throws -> [UInt8]) -> Response {
        let key = request.headers[.authorization] == nil ? request.uri.description : nil
        func response(_ bytes: [UInt8]) -> Response {
            Response(status: .ok, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        if let key, let bytes = lock.withLock({ answers[key] }) { return response(bytes) }
        let at = lock.withLock { head }
        do {
            let bytes = try compute()
            if let key {
                lock.withLock { if head == at, answers.count < answersMax { answers[key] = bytes } }
            }
            return response(bytes)
        } catch {
            return Problem(error).response
        }
    }
}
