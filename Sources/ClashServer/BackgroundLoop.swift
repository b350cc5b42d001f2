import Clash
import Foundation

/// Work on a thread of its own beside the requests (the arena's loop), told to stop when the
/// server stops and waited for, so nothing writes after the ledger is closed.
final class BackgroundLoop: @unchecked Sendable {
    private let lock = NSLock()
    private var stopping = false
    private let done = DispatchSemaphore(value: 0)

    init(name: String, _ body: @escaping @Sendable (_ shouldStop: @escaping () -> Bool) -> Void) {
        let thread = Thread { [self] in
            body { self.lock.withLock { self.stopping } }
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Asks the work to stop and waits until it has.
    func stop() {
        lock.withLock { stopping = true }
        done.wait()
    }
}

/// Work the server runs beside its requests (`--run-arena`): `make` builds it over the server's
/// writing ledger (under the request lock, once), and what it returns runs on a thread of its own
/// until told to stop, telling people what they should know through `note`.
public struct BackgroundWork: Sendable {
    public typealias Run = (_ shouldStop: @escaping () -> Bool, _ note: @escaping (String) -> Void) throws -> Void
    public var name: String
    public var make: @Sendable (Ledger) throws -> Run

    public init(name: String, make: @escaping @Sendable (Ledger) throws -> Run) {
        self.name = name
        self.make = make
    }
}
