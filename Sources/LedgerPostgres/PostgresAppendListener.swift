import Foundation
import Logging
import NIOCore
import PostgresNIO

/// A connection of its own that LISTENs on the log's channel, so that a follower wakes when an
/// append commits instead of asking for the head again and again. (The pool-less store leases it
/// lazily, on the first wait, and opens it again if the server ended it.)
final class PostgresAppendListener: @unchecked Sendable {
    private let location: PostgresLocation
    private let logger: Logger
    private let lock = NSLock()
    private var connection: PostgresConnection?
    /// Signalled once per notification; a follower re-reads the head after each wake, so a signal
    /// too many costs one query and none is lost between its look and its wait.
    private let appended = DispatchSemaphore(value: 0)
    /// The longest wait when listening: a notification the server never sent (the listener was
    /// being opened) is caught up on by then.
    static let fallbackMilliseconds = 1_000

    init(location: PostgresLocation, logger: Logger) {
        self.location = location
        self.logger = logger
    }

    /// Waits for a notification or `milliseconds` (at least the fallback while listening, since a
    /// notification wakes it sooner); sleeps `milliseconds` when the listener cannot be opened.
    func wait(milliseconds: Int) {
        guard listening() else {
            usleep(UInt32(milliseconds * 1000))
            return
        }
        _ = appended.wait(timeout: .now() + .milliseconds(max(milliseconds, Self.fallbackMilliseconds)))
    }

    /// Whether a live connection is listening (opening one if there is none).
    private func listening() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if let connection, !connection.isClosed { return true }
        connection = nil
        guard let fresh = try? PostgresLog.connect(location, logger: logger) else { return false }
        let appended = self.appended
        fresh.addListener(channel: PostgresLog.channel) { _, _ in appended.signal() }
        do {
            _ = try PostgresLog.waitBounded(fresh.query("LISTEN \(unescaped: PostgresLog.channel)", logger: logger), seconds: 10)
        } catch {
            _ = try? PostgresLog.waitBounded(fresh.close(), seconds: 5)
            return false
        }
        connection = fresh
        return true
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        if let connection, !connection.isClosed { _ = try? PostgresLog.waitBounded(connection.close(), seconds: 5) }
        connection = nil
    }
}
