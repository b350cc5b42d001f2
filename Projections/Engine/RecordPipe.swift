import Foundation
import LedgerLog

/// Reads a log range on its own thread and hands the records over in chunks, so that reading and
/// decoding overlap with folding on a machine with more than one core. At most `capacity` chunks
/// wait; a reader error reaches the consumer; a consumer that stops early stops the reader.
final class RecordPipe: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [[LogRecord]] = []
    private var finished = false
    private var failure: Error?
    private var cancelled = false
    private let capacity: Int

    /// Starts reading `(from...through)` of `log` on a new thread.
    init(log: any LogReading, from: UInt64, through: UInt64, chunkSize: Int = 8_192, capacity: Int = 4) {
        self.capacity = capacity
        Thread { [self] in
            var chunk: [LogRecord] = []
            chunk.reserveCapacity(chunkSize)
            do {
                try log.forEach(from: from, filter: .all) { record in
                    guard record.sequence <= through else { return false }
                    chunk.append(record)
                    if chunk.count == chunkSize {
                        guard put(chunk) else { return false }
                        chunk.removeAll(keepingCapacity: true)
                    }
                    return record.sequence < through
                }
                if !chunk.isEmpty { _ = put(chunk) }
                end(nil)
            } catch {
                end(error)
            }
        }.start()
    }

    private func put(_ chunk: [LogRecord]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        chunks.append(chunk)
        condition.broadcast()
        return true
    }

    private func end(_ error: Error?) {
        condition.lock()
        failure = error
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, nil at the end; rethrows the reader's error.
    func next() throws -> [LogRecord]? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !finished { condition.wait() }
        if !chunks.isEmpty {
            condition.broadcast()
            return chunks.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Stops the reader (after its current chunk) and waits for it to end.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
