#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one-writer-at-a-time lock: an exclusive `flock` on `LOCK` in the data directory,
/// holding the holder's pid and command so that a refused writer can name it.
///
/// The kernel drops the lock when the process dies, so a crash never leaves a stale lock.
final class WriterLock {
    static let fileName = "LOCK"
    private let file: PosixFile

    init(directory: String) throws(LogError) {
        let path = directory + "/" + Self.fileName
        file = try PosixFile(path: path, flags: O_RDWR | O_CREAT)
        guard flock(file.descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? file.read(at: 0, count: 512)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            throw LogError.locked(directory: directory, holder: holder.isEmpty ? "another writer" : holder)
        }
        let identity = Array("pid \(getpid()) (\(Self.commandLine()))".utf8)
        try file.truncate(to: 0)
        try file.write(identity, at: 0)
    }

    /// Adds what the holder is doing to what a refused writer is told (e.g. the address a server
    /// listens on), after its pid and command.
    func announce(_ note: String) {
        let identity = Array("pid \(getpid()) (\(Self.commandLine())), \(note)".utf8)
        try? file.truncate(to: 0)
        try? file.write(identity, at: 0)
    }

    func release() {
        try? file.truncate(to: 0)
        _ = flock(file.descriptor, LOCK_UN)
        file.close()
    }

    private static func commandLine() -> String {
        CommandLine.arguments.prefix(4).joined(separator: " ")
    }
}
