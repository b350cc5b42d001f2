#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file descriptor with the few calls the log needs, each throwing `LogError.io` with its path.
final class PosixFile {
    let path: String
    private(set) var descriptor: Int32

    init(path: String, flags: Int32, mode: mode_t = 0o644) throws(LogError) {
        self.path = path
        descriptor = open(path, flags | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw LogError.io(operation: "open", path: path, errno: errno) }
    }

    deinit { close() }

    func close() {
        if descriptor >= 0 {
            _ = Glibc.close(descriptor)
            descriptor = -1
        }
    }

    var size: Int {
        get throws(LogError) {
            var info = stat()
            guard fstat(descriptor, &info) == 0 else { throw LogError.io(operation: "stat", path: path, errno: errno) }
            return Int(info.st_size)
        }
    }

    /// Reads exactly `count` bytes at `offset`, or fewer only at the end of the file.
    func read(at offset: Int, count: Int) throws(LogError) -> [UInt8] {
        var failure: Int32 = 0
        let result = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let got = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if got == 0 { break }
                done += got
            }
            initialized = done
        }
        if failure != 0 { throw LogError.io(operation: "read", path: path, errno: failure) }
        return result
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(LogError) {
        var done = 0
        while done < bytes.count {
            let wrote = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if wrote < 0 {
                if errno == EINTR { continue }
                throw LogError.io(operation: "write", path: path, errno: errno)
            }
            done += wrote
        }
    }

    func write(_ bytes: [UInt8], at offset: Int) throws(LogError) {
        try bytes.withBytes { (buffer) throws(LogError) in try write(buffer, at: offset) }
    }

    func sync() throws(LogError) {
        guard fsync(descriptor) == 0 else { throw LogError.io(operation: "fsync", path: path, errno: errno) }
    }

    func truncate(to length: Int) throws(LogError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else {
            throw LogError.io(operation: "truncate", path: path, errno: errno)
        }
    }
}

/// Directory and path helpers over POSIX calls.
enum FileSystem {
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func createDirectory(_ path: String) throws(LogError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw LogError.io(operation: "create directory", path: current, errno: errno)
            }
        }
    }

    static func list(_ path: String) throws(LogError) -> [String] {
        guard let directory = opendir(path) else { throw LogError.io(operation: "list", path: path, errno: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Fsyncs a directory so that files created or renamed in it survive a crash.
    static func syncDirectory(_ path: String) throws(LogError) {
        let file = try PosixFile(path: path, flags: O_RDONLY | O_DIRECTORY)
        try file.sync()
    }

    static func rename(_ from: String, _ to: String) throws(LogError) {
        guard Glibc.rename(from, to) == 0 else { throw LogError.io(operation: "rename to \(to)", path: from, errno: errno) }
    }

    static func remove(_ path: String) throws(LogError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw LogError.io(operation: "remove", path: path, errno: errno) }
    }

    /// Writes a whole file durably: a temporary file, fsync, rename over, fsync the directory.
    static func writeAtomically(_ bytes: [UInt8], to path: String, directory: String) throws(LogError) {
        let temporary = path + ".tmp"
        let file = try PosixFile(path: temporary, flags: O_WRONLY | O_CREAT | O_TRUNC)
        try file.write(bytes, at: 0)
        try file.sync()
        file.close()
        try rename(temporary, path)
        try syncDirectory(directory)
    }

    static func readWhole(_ path: String) throws(LogError) -> [UInt8] {
        let file = try PosixFile(path: path, flags: O_RDONLY)
        return try file.read(at: 0, count: file.size)
    }
}
