import Foundation
import LedgerLog
import Runtime
import Testing

@Suite("the artifact store")
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
}
