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
