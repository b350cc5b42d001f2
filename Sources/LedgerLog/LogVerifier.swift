/// The result of checking a whole log: its figures, and the first problem found, if any.
public struct VerifyReport: Sendable, Equatable {
    public var events: UInt64 = 0
    public var batches = 0
    public var segments = 0
    public var bytesOnDisk = 0
    public var head = LogHead(sequence: 0, chain: .genesis)
    public var problem: Problem?

    /// Where the log is first damaged.
    public struct Problem: Sendable, Equatable {
        public var file: String
        public var offset: Int
        public var sequence: UInt64?
        public var reason: String
        /// A torn tail (an incomplete last write) rather than damage inside the log.
        public var tornTail: Bool
    }

    public var ok: Bool { problem == nil }
}

/// Checks every byte of a log: segment headers, batch headers, CRC-32C of every batch, LZ4
/// frames, every record's envelope and payload, sequence and stream-version continuity, and the
/// whole SHA-256 hash chain.
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
            report.problem = .init(file: directory, offset: 0, sequence: nil, reason: "\(error)", tornTail: false)
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
                var offset = SegmentHeader.frameBytes
                scan: while true {
                    switch try scanner.frame(at: offset, fileSize: size) {
                    case .end:
                        break scan
                    case .incomplete where isLast, .damaged where isLast:
                        let torn = (try? FileLog.validBatchHeader(in: scanner, after: offset, size: size)) == nil
                        report.problem = .init(
                            file: segment.path, offset: offset, sequence: expected,
                            reason: torn ? "torn tail: \(size - offset) bytes after the last complete batch; opening the log for writing (or `clash log repair`) moves them to quarantine"
                                : "bad bytes followed by a valid batch: damage",
                            tornTail: torn)
                        return finish(report, chain: chain, expected: expected)
                    case .incomplete:
                        throw LogError.corrupt(file: segment.path, offset: offset, sequence: expected, reason: "batch cut short inside the log")
                    case .damaged(let reason):
                        throw LogError.corrupt(file: segment.path, offset: offset, sequence: expected, reason: reason)
                    case .unsupported(let version):
                        throw LogError.unsupportedFormat(file: segment.path, offset: offset, version: version)
                    case .batch(let header):
                        guard header.firstSequence == expected else {
                            throw LogError.corrupt(file: segment.path, offset: offset, sequence: expected,
                                                   reason: "batch starts at sequence \(header.firstSequence)")
                        }
                        let batch = try scanner.batch(header, at: offset)
                        chain = chain.next(batch.bytes)
                        guard chain == header.chain else {
                            throw LogError.corrupt(file: segment.path, offset: offset, sequence: expected,
                                                   reason: "hash chain mismatch: the batch's records are not the ones that were chained")
                        }
                        _ = try batch.forEachRecord { record in
                            try check(record, streams: &streams, batch: batch)
                            return true
                        }
                        expected = header.lastSequence + 1
                        report.batches += 1
                        offset += header.storedBytes
                        progress?(header.lastSequence)
                    }
                }
            } catch let error as LogError {
                report.problem = problem(from: error, segment: segment)
                return finish(report, chain: chain, expected: expected)
            } catch {
                report.problem = .init(file: segment.path, offset: 0, sequence: expected, reason: "\(error)", tornTail: false)
                return finish(report, chain: chain, expected: expected)
            }
        }
        return finish(report, chain: chain, expected: expected)
    }

    private static func check(_ record: LogRecord, streams: inout [StreamKey: UInt64], batch: DecodedBatch) throws(LogError) {
        let key = StreamKey(record.stream)
        let previous = streams[key] ?? 0
        guard record.streamVersion == previous + 1 else {
            throw LogError.corrupt(file: batch.file, offset: batch.offset, sequence: record.sequence,
                                   reason: "stream \(record.stream) jumps from version \(previous) to \(record.streamVersion)")
        }
        streams[key] = record.streamVersion
        do {
            try record.payload.withUnsafeBytes { raw in try CanonicalJSON.validateObject(raw) }
        } catch {
            throw LogError.corrupt(file: batch.file, offset: batch.offset, sequence: record.sequence, reason: "payload is not canonical JSON: \(error)")
        }
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
            return .init(file: file, offset: offset, sequence: sequence, reason: reason, tornTail: false)
        case let .unsupportedFormat(file, offset, version):
            return .init(file: file, offset: offset, sequence: nil, reason: "log format version \(version) is newer than this build reads (\(LogFormat.version))", tornTail: false)
        default:
            return .init(file: segment.path, offset: 0, sequence: nil, reason: "\(error)", tornTail: false)
        }
    }
}
