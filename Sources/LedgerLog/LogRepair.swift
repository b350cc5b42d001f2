#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `repair` kept and what it moved to quarantine.
public struct RepairReport: Sendable, Equatable {
    /// The last sequence kept; everything up to it verified.
    public var keptThrough: UInt64
    /// Files written into (or moved into) `quarantine/`.
    public var quarantined: [String]
    public var bytesQuarantined: Int
    /// The problem that was repaired, or nil when the log was sound.
    public var problem: VerifyReport.Problem?
}

extension FileLog {
    /// Keeps everything up to the last good batch and moves the rest (the damaged batch, the bytes
    /// after it, and any later segment) to `quarantine/`. Nothing is deleted. Needs the writer lock.
    public static func repair(directory: String) throws -> RepairReport {
        let lock = try WriterLock(directory: directory)
        defer { lock.release() }
        let report = LogVerifier.verify(directory: directory)
        guard let problem = report.problem ?? report.tornTail else {
            return RepairReport(keptThrough: report.head.sequence, quarantined: [], bytesQuarantined: 0, problem: nil)
        }
        var repair = RepairReport(keptThrough: report.head.sequence, quarantined: [], bytesQuarantined: 0, problem: problem)
        let segments = try Segment.list(in: directory)
        guard let damaged = segments.firstIndex(where: { $0.path == problem.file }) else {
            throw LogError.corrupt(file: problem.file, offset: problem.offset, sequence: problem.sequence,
                                   reason: "the damaged file is not a segment of this log; move it out of the directory by hand")
        }
        var recovery = RecoveryReport()
        let segment = segments[damaged]
        let size = try PosixFile(path: segment.path, flags: O_RDONLY).size
        let keepBytes = problem.offset < SegmentHeader.frameBytes ? 0 : problem.offset
        try quarantine(segment, from: keepBytes, size: size, report: &recovery, sync: true)
        if let file = recovery.quarantineFile { repair.quarantined.append(file) }
        if keepBytes == 0 {
            try FileSystem.remove(segment.path)
        } else {
            let file = try PosixFile(path: segment.path, flags: O_WRONLY)
            try file.truncate(to: keepBytes)
            try file.sync()
        }
        try FileSystem.remove(segment.indexPath)
        for later in segments[(damaged + 1)...] {
            let target = directory + "/quarantine/" + later.name
            let laterSize = try PosixFile(path: later.path, flags: O_RDONLY).size
            try FileSystem.rename(later.path, target)
            try FileSystem.remove(later.indexPath)
            repair.quarantined.append(target)
            recovery.cutBytes += laterSize
        }
        try FileSystem.syncDirectory(directory)
        repair.bytesQuarantined = recovery.cutBytes
        return repair
    }
}
