#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FileLog {
    /// Opens (or creates) the log in `directory` for writing. Opening is recovery: a torn tail left
    /// by a crash is cut and moved to `quarantine/`, never deleted, and reported in `recovery`.
    /// Damage before the tail is not cut: it is an error that `clash log repair` resolves.
    public static func open(directory: String, options: FileLogOptions = FileLogOptions()) throws -> FileLog {
        LogLimits.checkRelations()
        try FileSystem.createDirectory(directory)
        let lock = try WriterLock(directory: directory)
        do {
            var report = RecoveryReport()
            let sync = options.fsync != .none
            var lastLayout = try recoverTail(directory: directory, report: &report, sync: sync)
            if lastLayout == nil {
                let first = try SegmentWriter.createSegment(directory: directory, firstSequence: 1, previousChain: .genesis, sync: sync)
                lastLayout = try SegmentLayout(segment: first, useIndex: false)
            }
            let reader = try LogReader(directory: directory)
            for layout in reader.segmentLayouts.dropLast() {
                guard case .end = layout.stop else {
                    throw LogError.corrupt(file: layout.segment.path, offset: layout.end, sequence: layout.lastSequence + 1,
                                           reason: "segment ends in bytes that are not a batch")
                }
                // A sealed segment's index lost or damaged is written anew from its batches (a cache:
                // failing to write it changes nothing but the next open's speed).
                if !layout.indexSound { try? layout.writeIndex() }
            }
            guard reader.head.sequence == lastLayout!.lastSequence else {
                throw LogError.corrupt(file: lastLayout!.segment.path, offset: lastLayout!.end, sequence: reader.head.sequence,
                                       reason: "segments disagree about the head of the log")
            }
            let state = try loadState(reader: reader, report: &report)
            let writer = try SegmentWriter(layout: lastLayout!, options: options)
            if report.checkpointSequence != state.headSequence { try writer.writeCheckpoint(streams: state.streams) }
            return FileLog(directory: directory, options: options, lock: lock, segmentWriter: writer, reader: reader,
                           state: state, recovery: report)
        } catch {
            lock.release()
            throw error
        }
    }

    /// Checks every batch of the last segment and cuts a torn tail. Returns the last segment's
    /// layout, or nil when the log has no segment.
    static func recoverTail(directory: String, report: inout RecoveryReport, sync: Bool) throws(LogError) -> SegmentLayout? {
        var segments = try Segment.list(in: directory)
        while let last = segments.last {
            let size = (try? PosixFile(path: last.path, flags: O_RDONLY).size) ?? 0
            if size <= SegmentHeader.frameBytes, (try? SegmentScanner(segment: last)) == nil {
                // A crash while the segment was being created: nothing was ever acknowledged in it.
                try quarantine(last, from: 0, size: size, report: &report, sync: sync)
                try FileSystem.remove(last.path)
                try FileSystem.remove(last.indexPath)
                segments.removeLast()
                continue
            }
            return try recoverLastSegment(last, report: &report, sync: sync)
        }
        return nil
    }

    private static func recoverLastSegment(_ segment: Segment, report: inout RecoveryReport, sync: Bool) throws(LogError) -> SegmentLayout {
        let layout = try SegmentLayout(segment: segment, useIndex: false)
        let size = try layout.scanner.size
        var cut: Int?
        for (index, entry) in layout.batches.enumerated() {
            guard case .batch(let header) = try layout.scanner.frame(at: Int(entry.offset), fileSize: size) else { continue }
            do {
                _ = try layout.scanner.compressed(header, at: Int(entry.offset))
            } catch {
                guard index == layout.batches.count - 1 else { throw error }
                cut = Int(entry.offset)
            }
        }
        if cut == nil {
            switch layout.stop {
            case .end, .batch: break
            case .incomplete, .damaged: cut = layout.end
            case .unsupported(let version): throw LogError.unsupportedFormat(file: segment.path, offset: layout.end, version: version)
            }
        }
        guard let cut else { return layout }
        if let later = try validBatchHeader(in: layout.scanner, after: cut, size: size) {
            throw LogError.corrupt(file: segment.path, offset: cut, sequence: layout.lastSequence + 1,
                                   reason: "bad bytes followed by a valid batch at byte \(later): damage, not a torn write")
        }
        try quarantine(segment, from: cut, size: size, report: &report, sync: sync)
        let file = try PosixFile(path: segment.path, flags: O_WRONLY)
        try file.truncate(to: cut)
        if sync { try file.sync() }
        report.segment = segment.path
        report.cutOffset = cut
        return try SegmentLayout(segment: segment, useIndex: false)
    }

    /// Copies `segment[from..<size]` into the quarantine folder, durably, before anything is cut.
    static func quarantine(_ segment: Segment, from offset: Int, size: Int, report: inout RecoveryReport, sync: Bool) throws(LogError) {
        guard size > offset else { return }
        let folder = segment.directory + "/quarantine"
        try FileSystem.createDirectory(folder)
        var path = folder + "/\(segment.name).\(offset).torn"
        var attempt = 1
        while FileSystem.exists(path) {
            attempt += 1
            path = folder + "/\(segment.name).\(offset).torn.\(attempt)"
        }
        let source = try PosixFile(path: segment.path, flags: O_RDONLY)
        let bytes = try source.read(at: offset, count: size - offset)
        let target = try PosixFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL)
        try target.write(bytes, at: 0)
        try target.sync()
        try FileSystem.syncDirectory(folder)
        try FileSystem.syncDirectory(segment.directory)
        report.cutBytes += bytes.count
        report.quarantineFile = path
    }

    /// The offset of a valid batch header after `offset`, if any: it tells damage from a torn tail.
    static func validBatchHeader(in scanner: SegmentScanner, after offset: Int, size: Int) throws(LogError) -> Int? {
        guard size > offset + 1 else { return nil }
        let bytes = try scanner.file.read(at: offset + 1, count: size - offset - 1)
        let magic: [UInt8] = [0x51, 0x2A, 0x4D, 0x18]
        return bytes.withUnsafeBytes { raw -> Int? in
            var index = 0
            while index + BatchHeader.frameBytes <= raw.count {
                if raw[index] == magic[0], raw[index + 1] == magic[1], raw[index + 2] == magic[2], raw[index + 3] == magic[3],
                   case .success = BatchHeader.decode(UnsafeRawBufferPointer(rebasing: raw[index..<(index + BatchHeader.frameBytes)])) {
                    return offset + 1 + index
                }
                index += 1
            }
            return nil
        }
    }

    /// Rebuilds the writer's state: stream versions from the checkpoint (when it matches the log)
    /// plus the records after it, and the ids of the idempotency window.
    static func loadState(reader: LogReader, report: inout RecoveryReport) throws -> WriterState {
        var state = WriterState()
        let head = reader.head.sequence
        let window = UInt64(state.idempotencyWindow)
        let windowStart = head >= window ? head - window + 1 : 1
        var scanFrom: UInt64 = 1
        if let checkpoint = WriterCheckpoint.read(directory: reader.directory), checkpoint.sequence <= head,
           try chain(at: checkpoint.sequence, in: reader) == checkpoint.chain {
            state.restore(headSequence: checkpoint.sequence, streams: checkpoint.streams)
            scanFrom = min(checkpoint.sequence + 1, windowStart)
            report.usedCheckpoint = true
            report.checkpointSequence = checkpoint.sequence
        } else {
            scanFrom = 1
        }
        let applyFrom = state.headSequence + 1
        var scanned = 0
        try reader.forEach(from: scanFrom, filter: .all) { record in
            scanned += 1
            if record.sequence >= applyFrom {
                state.applyStream(sequence: record.sequence, stream: record.stream, streamVersion: record.streamVersion)
            }
            if record.sequence >= windowStart { state.rememberId(record.id, sequence: record.sequence) }
            return true
        }
        report.recordsScanned = scanned
        return state
    }

    /// The chain value after the batch ending exactly at `sequence` (nil when no batch ends there).
    static func chain(at sequence: UInt64, in reader: LogReader) throws(LogError) -> ChainHash? {
        if sequence == 0 { return .genesis }
        for layout in reader.segmentLayouts where layout.firstSequence <= sequence && sequence <= layout.lastSequence {
            let index = layout.batchIndex(containing: sequence)
            let entry = layout.batches[index]
            guard entry.firstSequence + UInt64(entry.recordCount) - 1 == sequence,
                  case .batch(let header) = try layout.scanner.frame(at: Int(entry.offset), fileSize: layout.end)
            else { return nil }
            return header.chain
        }
        return nil
    }
}
