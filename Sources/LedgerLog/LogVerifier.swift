/// The result of checking a whole log: its figures, and the first problem found, if any.
public struct VerifyReport: Sendable, Equatable {
    public var events: UInt64 = 0
    public var batches = 0
    public var segments = 0
    public var bytesOnDisk = 0
    public var head = LogHead(sequence: 0, chain: .genesis)
    /// Damage: where the log is first damaged (nil when everything verifies).
    public var problem: Problem?
    /// Bytes after the last complete batch of the last segment that no valid batch follows: what a
    /// writer killed mid-append leaves. Nothing acknowledged is in them (an append is acknowledged
    /// only once its whole batch is written), so they are not damage; the next writer moves them to
    /// `quarantine/`. Reported, never counted against `ok`.
    public var tornTail: Problem?

    /// A place in the log and what is wrong there.
    public struct Problem: Sendable, Equatable {
        public var file: String
        public var offset: Int
        public var sequence: UInt64?
        public var reason: String
        /// For a torn tail: how many bytes follow the last complete batch, and whether the file ends
        /// inside a frame (cut short) or holds a whole frame that fails its check.
        public var bytes = 0
        public var cutShort = true
    }

    /// Everything verifies (a torn tail aside).
    public var ok: Bool { problem == nil }
}

/// Checks every byte of a log: segment headers, batch headers, CRC-32C of every batch, LZ4
/// frames, every record's envelope and payload, sequence and stream-version continuity, and the
/// whole SHA-256 hash chain.
///
/// Each segment's batch headers are walked first; then the batches are checked on two threads
/// (`TwoThreadWork`): each batch against the chain value of the header before it, which the walk
/// has already tied to the chain. Stream versions are followed across batches in log order, and
/// the first problem in log order is the one reported.
public enum LogVerifier {
    public static func verify(directory: String, progress: ((UInt64) -> Void)? = nil) -> VerifyReport {
        var report = VerifyReport()
        var chain = ChainHash.genesis
        var expected: UInt64 = 1
        var streams: [StreamKey: UInt64] = [:]
        let segments: [Segment]
        do {
            segments = try Segment.list(in: directory)
        } catch {
            report.problem = .init(file: directory, offset: 0, sequence: nil, reason: "\(error)")
            return report
        }
        report.segments = segments.count
        for (segmentIndex, segment) in segments.enumerated() {
            let isLast = segmentIndex == segments.count - 1
            do {
                let scanner = try SegmentScanner(segment: segment)
                let size = try scanner.size
                report.bytesOnDisk += size
                guard scanner.header.firstSequence == expected else {
                    throw LogError.corrupt(file: segment.path, offset: 0, sequence: expected,
                                           reason: "segment starts at sequence \(scanner.header.firstSequence), expected \(expected): a segment is missing")
                }
                guard scanner.header.previousChain == chain else {
                    throw LogError.corrupt(file: segment.path, offset: 0, sequence: expected, reason: "segment header breaks the hash chain")
                }
                let walk = try walkHeaders(scanner, size: size, firstSequence: expected, chain: chain, isLast: isLast)
                try checkBatches(walk.batches) { batch in
                    try merge(batch, into: &streams)
                    chain = batch.header.chain
                    expected = batch.header.lastSequence + 1
                    report.batches += 1
                    progress?(batch.header.lastSequence)
                }
                switch walk.ending {
                case .end:
                    break
                case .torn(let offset, true, let cutShort):
                    let what = cutShort ? "the file ends inside a batch frame: a write cut off"
                        : "a whole last batch frame fails its check: a write whose pages never reached the disk, or a flipped bit in an acknowledged last batch (then restore it from a copy before a writer moves it aside)"
                    report.tornTail = .init(
                        file: segment.path, offset: offset, sequence: expected,
                        reason: "torn tail: \(size - offset) bytes after the last complete batch (\(what)), what a writer killed mid-append leaves; the next writer (or `clash log repair`) moves them to quarantine",
                        bytes: size - offset, cutShort: cutShort)
                    return finish(report, chain: chain, expected: expected)
                case .torn(let offset, false, _):
                    report.problem = .init(file: segment.path, offset: offset, sequence: expected, reason: "bad bytes followed by a valid batch: damage")
                    return finish(report, chain: chain, expected: expected)
                case .error(let error):
                    throw error
                }
            } catch let error as LogError {
                report.problem = problem(from: error, segment: segment)
                return finish(report, chain: chain, expected: expected)
            } catch {
                report.problem = .init(file: segment.path, offset: 0, sequence: expected, reason: "\(error)")
                return finish(report, chain: chain, expected: expected)
            }
        }
        return finish(report, chain: chain, expected: expected)
    }

    /// A batch found by the header walk, with the chain value it must continue.
    private struct BatchToCheck: @unchecked Sendable {
        let scanner: SegmentScanner
        let offset: Int
        let header: BatchHeader
        let previousChain: ChainHash
    }

    /// How the header walk of a segment ended.
    private enum Ending {
        case end
        /// Bad bytes at the end of the last segment: a torn tail, or damage when a valid batch follows.
        /// `cutShort`: the file ends inside the frame (a write cut off), rather than a whole frame
        /// that fails its check (a write whose pages never reached the disk — or a flipped bit).
        case torn(offset: Int, torn: Bool, cutShort: Bool)
        case error(LogError)
    }

    /// Walks a segment's batch headers (not their contents) up to its end or its first bad frame.
    private static func walkHeaders(_ scanner: SegmentScanner, size: Int, firstSequence: UInt64, chain: ChainHash,
                                    isLast: Bool) throws(LogError) -> (batches: [BatchToCheck], ending: Ending) {
        let path = scanner.segment.path
        var batches: [BatchToCheck] = []
        var offset = SegmentHeader.frameBytes
        var expected = firstSequence
        var chain = chain
        while true {
            switch try scanner.frame(at: offset, fileSize: size) {
            case .end:
                return (batches, .end)
            case .incomplete where isLast:
                let torn = (try? FileLog.validBatchHeader(in: scanner, after: offset, size: size)) == nil
                return (batches, .torn(offset: offset, torn: torn, cutShort: true))
            case .damaged where isLast:
                let torn = (try? FileLog.validBatchHeader(in: scanner, after: offset, size: size)) == nil
                return (batches, .torn(offset: offset, torn: torn, cutShort: false))
            case .incomplete:
                return (batches, .error(.corrupt(file: path, offset: offset, sequence: expected, reason: "batch cut short inside the log")))
            case .damaged(let reason):
                return (batches, .error(.corrupt(file: path, offset: offset, sequence: expected, reason: reason)))
            case .unsupported(let version):
                return (batches, .error(.unsupportedFormat(file: path, offset: offset, version: version)))
            case .batch(let header):
                guard header.firstSequence == expected else {
                    return (batches, .error(.corrupt(file: path, offset: offset, sequence: expected,
                                                     reason: "batch starts at sequence \(header.firstSequence)")))
                }
                batches.append(BatchToCheck(scanner: scanner, offset: offset, header: header, previousChain: chain))
                chain = header.chain
                expected = header.lastSequence + 1
                offset += header.storedBytes
            }
        }
    }

    /// What checking one batch on its own found: each stream's run of versions in it, and the
    /// first problem inside it, if any (the runs then cover the records before that problem).
    private struct CheckedBatch {
        let header: BatchHeader
        let file: String
        let offset: Int
        var runs: [StreamKey: StreamRun] = [:]
        var failure: LogError?
    }

    /// A stream's versions within one batch: `first...last`, the first at `sequence`.
    private struct StreamRun {
        let first: UInt64
        var last: UInt64
        let sequence: UInt64
    }

    /// Checks the batches on two threads and hands each result to `accept` in log order; throws
    /// the first problem in log order.
    private static func checkBatches(_ batches: [BatchToCheck], accept: (CheckedBatch) throws -> Void) throws {
        var next = 0
        let claim = { () -> BatchToCheck? in
            guard next < batches.count else { return nil }
            next += 1
            return batches[next - 1]
        }
        guard batches.count >= LogReader.twoThreadBatchesMin else {
            while let batch = claim() { try accept(check(batch)) }
            return
        }
        let shared = TwoThreadWork<BatchToCheck, CheckedBatch>(next: claim, work: check, isFinal: { $0.failure != nil })
        try shared.run(own: { batch in
            try accept(check(batch))
            return true
        }, consume: { checked in
            try accept(checked)
            return true
        })
    }

    /// Checks one batch: its CRC, frame and chain value, and every record's envelope, payload and
    /// stream-version continuity within the batch.
    private static func check(_ job: BatchToCheck) -> CheckedBatch {
        var checked = CheckedBatch(header: job.header, file: job.scanner.segment.path, offset: job.offset)
        do {
            let batch = try job.scanner.batch(job.header, at: job.offset)
            guard job.previousChain.next(batch.bytes) == job.header.chain else {
                throw LogError.corrupt(file: batch.file, offset: batch.offset, sequence: job.header.firstSequence,
                                       reason: "hash chain mismatch: the batch's records are not the ones that were chained")
            }
            _ = try batch.forEachRecord(from: 0, filter: .all) { record in
                let key = StreamKey(record.stream)
                if let run = checked.runs[key] {
                    guard record.streamVersion == run.last + 1 else {
                        throw LogError.corrupt(file: batch.file, offset: batch.offset, sequence: record.sequence,
                                               reason: "stream \(record.stream) jumps from version \(run.last) to \(record.streamVersion)")
                    }
                    checked.runs[key]!.last = record.streamVersion
                } else {
                    checked.runs[key] = StreamRun(first: record.streamVersion, last: record.streamVersion, sequence: record.sequence)
                }
                do {
                    try record.payload.withUnsafeBytes { raw in try CanonicalJSON.validateObject(raw) }
                } catch {
                    throw LogError.corrupt(file: batch.file, offset: batch.offset, sequence: record.sequence, reason: "payload is not canonical JSON: \(error)")
                }
                return true
            }
        } catch let error as LogError {
            checked.failure = error
        } catch {
            checked.failure = .corrupt(file: checked.file, offset: job.offset, sequence: job.header.firstSequence, reason: "\(error)")
        }
        return checked
    }

    /// Follows stream versions into a checked batch; throws the batch's first problem in log order.
    private static func merge(_ batch: CheckedBatch, into streams: inout [StreamKey: UInt64]) throws(LogError) {
        var firstJump: LogError?
        var jumpSequence = UInt64.max
        for (key, run) in batch.runs {
            let previous = streams[key] ?? 0
            if run.first != previous + 1, run.sequence < jumpSequence {
                jumpSequence = run.sequence
                firstJump = .corrupt(file: batch.file, offset: batch.offset, sequence: run.sequence,
                                     reason: "stream \(key.name) jumps from version \(previous) to \(run.first)")
            }
        }
        if let firstJump, jumpSequence < batch.failure.map(sequence(of:)) ?? .max { throw firstJump }
        if let failure = batch.failure { throw failure }
        for (key, run) in batch.runs { streams[key] = run.last }
    }

    /// The sequence a problem names (the greatest for one that names none).
    private static func sequence(of error: LogError) -> UInt64 {
        if case .corrupt(_, _, let sequence?, _) = error { return sequence }
        return .max
    }

    private static func finish(_ report: VerifyReport, chain: ChainHash, expected: UInt64) -> VerifyReport {
        var report = report
        report.events = expected - 1
        report.head = LogHead(sequence: expected - 1, chain: chain)
        return report
    }

    private static func problem(from error: LogError, segment: Segment) -> VerifyReport.Problem {
        switch error {
        case let .corrupt(file, offset, sequence, reason):
            return .init(file: file, offset: offset, sequence: sequence, reason: reason)
        case let .unsupportedFormat(file, offset, version):
            return .init(file: file, offset: offset, sequence: nil, reason: "log format version \(version) is newer than this build reads (\(LogFormat.version))")
        default:
            return .init(file: segment.path, offset: 0, sequence: nil, reason: "\(error)")
        }
    }
}
