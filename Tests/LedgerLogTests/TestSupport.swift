import Foundation
@testable import LedgerLog

/// A fresh directory under the system's temporary folder, removed by `cleanup()`.
struct TemporaryDirectory {
    let path: String

    init(_ name: String = "log") {
        path = NSTemporaryDirectory() + "clash-tests-\(UUID().uuidString)/\(name)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func cleanup() {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }
}

/// A seeded generator for test data (SplitMix64).
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds drafts with canonical payloads.
enum Drafts {
    static func payload(_ members: [(String, Int64)]) -> [UInt8] {
        var json = CanonicalJSONWriter()
        json.beginObject()
        for (key, value) in members.sorted(by: { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }) {
            json.key(key)
            json.int(value)
        }
        json.endObject()
        return json.bytes
    }

    static func tick(_ index: Int, stream: String = "market.BTC", prefix: String = "t") -> EventDraft {
        EventDraft(
            id: "\(prefix)-\(index)", type: "market.tick", stream: stream, timestampMs: 1_700_000_000_000 + Int64(index),
            payload: payload([("mid_e8", Int64(6_000_000_000_000 + index)), ("n", Int64(index))]))
    }

    /// `count` ticks spread over `streams` streams, deterministic by seed.
    static func ticks(_ count: Int, streams: Int = 5, seed: UInt64 = 1, prefix: String = "t") -> [EventDraft] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { index in
            tick(index, stream: "market.S\(random.next() % UInt64(streams))", prefix: prefix)
        }
    }
}

/// Runs `body` and returns the `LogError` it threw, or nil.
func logError(_ body: () throws -> Void) -> LogError? {
    do {
        try body()
        return nil
    } catch let error as LogError {
        return error
    } catch {
        return nil
    }
}

extension FileLog {
    /// Opens with fsync off and small segments: fast tests of everything but durability.
    static func openForTest(_ directory: String, segmentBytes: Int = 64 << 10, fsync: FsyncPolicy = .none) throws -> FileLog {
        try FileLog.open(directory: directory, options: FileLogOptions(fsync: fsync, segmentBytesMax: segmentBytes))
    }
}

/// The package root, for tests that run the `clash` executable.
enum Package {
    static var root: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }

    static var clash: String { root + "/.build/debug/clash" }
}
