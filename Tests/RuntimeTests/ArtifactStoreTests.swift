import Foundation
import LedgerLog
import Runtime
import Testing

@Suite("the artifact store", .timeLimit(.minutes(5)))
struct ArtifactStoreTests {
    let directory = NSTemporaryDirectory() + "clash-artifacts-\(UUID().uuidString)"

    @Test("an artifact is stored as an LZ4 frame named by its SHA-256 and read back checked")
    func roundTrip() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = LocalArtifactStore(directory: directory)
        let bytes = Array(String(repeating: "strategy graph ", count: 200).utf8)
        let hash = try store.put(bytes)
        #expect(hash == ContentHash.of(bytes))
        #expect(try store.get(hash) == bytes)
        let file = try #require(FileManager.default.contents(atPath: store.path(hash)))
        #expect(Array(file.prefix(4)) == [0x04, 0x22, 0x4D, 0x18] && file.count < bytes.count)
        #expect(try store.put(bytes) == hash, "the same bytes twice are one artifact")
        #expect(try LocalArtifactStore(directory: directory).get(hash) == bytes)
    }

    @Test("a missing artifact is an error naming its hash")
    func missing() throws {
        let store = LocalArtifactStore(directory: directory)
        let hash = ContentHash.of([1, 2, 3])
        #expect(throws: ArtifactError.missing(hash: hash, location: store.path(hash))) { try store.get(hash) }
        #expect(!FileManager.default.fileExists(atPath: directory), "reading never creates the store")
        #expect(throws: ArtifactError.badHash("xyz")) { try store.get("xyz") }
    }

    @Test("a damaged or swapped artifact is refused, naming its hash, never returned")
    func corrupt() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = LocalArtifactStore(directory: directory)
        let hash = try store.put(Array("the real graph".utf8))
        let other = try store.put(Array("another graph".utf8))
        var file = try #require(FileManager.default.contents(atPath: store.path(hash)))
        file[file.count - 6] ^= 0x40
        try file.write(to: URL(fileURLWithPath: store.path(hash)))
        #expect { try store.get(hash) } throws: { error in
            guard case ArtifactError.corrupt(let named, _, _) = error else { return false }
            return named == hash && "\(error)".contains(hash)
        }
        try FileManager.default.removeItem(atPath: store.path(hash))
        try FileManager.default.copyItem(atPath: store.path(other), toPath: store.path(hash))
        #expect { try store.get(hash) } throws: { "\($0)".contains("SHA-256 is not its name") }
    }

    @Test("artifacts derivable from the log go to a pack: read back by any store, `lz4 -dc` reads them in order, an entry cut short by a crash is missing, the others kept")
    func packs() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = LocalArtifactStore(directory: directory)
        let packets = (0..<50).map { Array("{\"packet\":\($0),\"data\":\"\(String(repeating: "x", count: $0 * 7))\"}".utf8) }
        let hashes = try packets.map { try store.put($0, durable: false) }
        #expect(try store.put(packets[3], durable: false) == hashes[3], "kept once")
        #expect(!FileManager.default.fileExists(atPath: store.path(hashes[0])), "no file per packet")
        #expect(try store.get(hashes[7]) == packets[7], "read back by the store that buffers it")
        try store.flush()
        let packFiles = try FileManager.default.contentsOfDirectory(atPath: directory + "/packs")
        #expect(packFiles == ["pack-000001.lz4"])
        let reader = LocalArtifactStore(directory: directory)
        for (hash, bytes) in zip(hashes, packets) { #expect(try reader.get(hash) == bytes && reader.contains(hash)) }
        // The stock tool reads a pack as the artifacts one after another.
        let pack = directory + "/packs/pack-000001.lz4"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["lz4", "-dc", pack]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let decoded = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(Array(decoded) == packets.flatMap { $0 })
        // A crash cut the last entry short: it is missing (built again from the log), the rest stand.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: pack)[.size] as? Int)
        let handle = try #require(FileHandle(forWritingAtPath: pack))
        try handle.truncate(atOffset: UInt64(size - 5))
        try handle.close()
        let afterCrash = LocalArtifactStore(directory: directory)
        #expect(throws: ArtifactError.self) { try afterCrash.get(hashes[49]) }
        #expect(try afterCrash.get(hashes[48]) == packets[48])
        // The next process writes a pack of its own.
        _ = try afterCrash.put(packets[49], durable: false)
        try afterCrash.flush()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/packs").sorted() == ["pack-000001.lz4", "pack-000002.lz4"])
        #expect(try LocalArtifactStore(directory: directory).get(hashes[49]) == packets[49])
    }
}
