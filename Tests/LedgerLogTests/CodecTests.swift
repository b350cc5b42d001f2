import Foundation
import Testing
@testable import LedgerLog

@Suite("Record, batch and checksum codecs", .timeLimit(.minutes(5)))
struct CodecTests {
    @Test("CRC-32C matches the standard check value")
    func crcCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    }

    @Test("CRC-32C: the processor's instruction and the portable tables agree, also piece by piece (property)")
    func crcPathsAgree() {
        var random = SeededRandom(seed: 5)
        for length in [0, 1, 7, 8, 9, 63, 64, 65, 1000, 4099] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            bytes.withUnsafeBytes { raw in
                let whole = CRC32C.checksum(raw)
                #expect(whole == CRC32C.portableChecksum(raw), "length \(length)")
                let cut = length / 3
                let first = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[..<cut]))
                #expect(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[cut...]), previous: first) == whole, "length \(length)")
            }
        }
    }

    @Test("envelope numbers are written in full at every digit count, both ends of their range included")
    func envelopeNumbers() throws {
        var values: [UInt64] = [0, 1, 9, UInt64.max, UInt64(Int64.max)]
        var power: UInt64 = 10
        for _ in 1...19 {
            values += [power - 1, power, power + 1]
            power = power.multipliedReportingOverflow(by: 10).overflow ? .max : power * 10
        }
        for value in values where value >= 1 {
            let timestamp = Int64(bitPattern: value)
            let record = LogRecord(sequence: value, streamVersion: value, draft: EventDraft(
                id: "n", type: "test.event", stream: "s", timestampMs: timestamp, payload: Array("{}".utf8)))
            let line = String(decoding: record.canonicalBytes, as: UTF8.self)
            #expect(line.contains("\"seq\":\(value),"), "\(line)")
            #expect(line.contains("\"stream_version\":\(value),"), "\(line)")
            #expect(line.contains("\"ts\":\(timestamp),"), "\(line)")
        }
        let extremes = LogRecord(sequence: 1, streamVersion: 1, draft: EventDraft(
            id: "n", type: "test.event", stream: "s", timestampMs: Int64.min, payload: Array("{}".utf8)))
        #expect(String(decoding: extremes.canonicalBytes, as: UTF8.self).contains("\"ts\":-9223372036854775808,"))
    }

    @Test("a record encodes canonically and decodes to itself, escapes included (property)")
    func recordRoundTrip() throws {
        var random = SeededRandom(seed: 11)
        for index in 1...500 {
            let draft = EventDraft(
                id: "id-\(index)-" + CanonicalJSONTests.randomString(&random).replacingOccurrences(of: "\u{01}", with: "x"),
                type: "test.event", schemaVersion: Int(random.next() % 3) + 1,
                stream: "s/" + CanonicalJSONTests.randomString(&random) + "\(index)",
                timestampMs: Int64(bitPattern: random.next()) >> 2,
                correlationId: index % 3 == 0 ? "corr-\(index)" : nil, causationId: index % 5 == 0 ? "cause\"\(index)" : nil,
                payload: CanonicalJSONTests.randomObject(&random, depth: 0).canonicalBytes)
            let record = LogRecord(sequence: UInt64(index), streamVersion: UInt64(index * 2), draft: draft)
            let bytes = record.canonicalBytes
            try CanonicalJSON.validateObject(bytes)
            let decoded = try RecordCodec.decode(bytes, 0..<bytes.count)
            #expect(decoded == record)
            #expect(decoded.canonicalBytes == bytes)
        }
    }

    @Test("a record split around its place joins, at any sequence and stream version, into the record encoded there — payloads holding the envelope's own keys included (property)")
    func recordAroundPlace() throws {
        var random = SeededRandom(seed: 12)
        for index in 1...300 {
            var payload = CanonicalJSONWriter()
            payload.beginObject()
            payload.key("inner"); payload.string(",\"seq\":0,\"stream\":\"x\",\"stream_version\":0,\"ts\":")
            payload.key("seq"); payload.int(0)
            payload.key("stream"); payload.string("s")
            payload.key("stream_version"); payload.int(0)
            payload.key("ts"); payload.int(Int64(index))
            payload.endObject()
            let draft = EventDraft(
                id: "id-\(index)", type: "test.event", schemaVersion: Int(random.next() % 3) + 1,
                stream: "s/\",\"stream_version\":0," + CanonicalJSONTests.randomString(&random) + "\(index)",
                timestampMs: Int64(bitPattern: random.next()) >> 2,
                correlationId: index % 3 == 0 ? "corr-\(index)" : nil, causationId: index % 5 == 0 ? "cause\"\(index)" : nil,
                payload: index % 2 == 0 ? payload.bytes : CanonicalJSONTests.randomObject(&random, depth: 0).canonicalBytes)
            let sequence = random.next() >> UInt64(random.next() % 64), version = random.next() >> UInt64(random.next() % 64)
            let parts = RecordCodec.encodeAroundPlace(draft)
            let joined = Array(parts.head) + Array(String(sequence).utf8) + Array(parts.middle) + Array(String(version).utf8) + Array(parts.tail)
            #expect(joined == LogRecord(sequence: sequence, streamVersion: version, draft: draft).canonicalBytes)
        }
    }

    @Test("a record that is not a canonical envelope is refused with its offset")
    func recordRejectsMalformed() {
        let bytes = Array(#"{"id":"a","payload":{},"schema":1,"seq":x}"#.utf8)
        #expect(throws: JSONSyntaxError.self) { try RecordCodec.decode(bytes, 0..<bytes.count) }
    }

    @Test("LZ4 frames round-trip, and a damaged or short frame never decodes to wrong bytes")
    func lz4RoundTrip() {
        let source = Array(String(repeating: #"{"mid":123,"symbol":"BTC"}\n"#, count: 500).utf8)
        var frame: [UInt8] = []
        source.withUnsafeBytes { LZ4Codec.compress($0, appendingTo: &frame) }
        #expect(frame.count < source.count / 4)
        #expect(frame.withUnsafeBytes { LZ4Codec.decompress($0, expectedCount: source.count) } == source)
        #expect(frame.dropLast(3).withUnsafeBytes { LZ4Codec.decompress($0, expectedCount: source.count) } == nil)
        #expect(frame.withUnsafeBytes { LZ4Codec.decompress($0, expectedCount: source.count + 1) } == nil)
    }

    @Test("a batch header round-trips and any flipped bit is detected")
    func batchHeaderDetectsEveryBitFlip() {
        let header = BatchHeader(firstSequence: 42, recordCount: 7, uncompressedBytes: 900, compressedBytes: 300,
                                 compressedCRC: 0xDEAD_BEEF, chain: ChainHash.genesis.next([1, 2, 3]), lastTimestampMs: 99)
        let frame = header.encodedFrame()
        #expect(frame.withUnsafeBytes { BatchHeader.decode($0) } == .success(header))
        for bit in 0..<(frame.count * 8) {
            var damaged = frame
            damaged[bit / 8] ^= 1 << (bit % 8)
            if case .success = damaged.withUnsafeBytes({ BatchHeader.decode($0) }) {
                Issue.record("bit \(bit) flipped went undetected")
            }
        }
    }

    @Test("the chain value depends on every byte and on the previous value")
    func chainIsSensitive() {
        let a = ChainHash.genesis.next(Array("abc".utf8))
        #expect(a != ChainHash.genesis.next(Array("abd".utf8)))
        #expect(a.next([]) != ChainHash.genesis.next([]))
        #expect(ChainHash(hex: a.hex) == a)
        #expect(a.hex.count == 64)
    }
}
