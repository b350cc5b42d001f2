import ArgumentParser
import Foundation
import LedgerLog
import Clash

/// Writes the synthetic ticks' payloads as JSON Lines, so that a peer benchmark runs on the very
/// events `clash bench log` appends.
struct BenchTicks: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticks", abstract: "Write the synthetic tick payloads of a seed as JSON Lines.")

    @Option(help: "How many ticks.") var events = 1_000_000
    @Option(help: "Seed of the synthetic ticks.") var seed: UInt64 = 1
    @Option(help: "The file to write.") var to: String

    func execute() throws {
        guard FileManager.default.createFile(atPath: to, contents: nil), let file = FileHandle(forWritingAtPath: to) else {
            throw ValidationError("cannot create \(to)")
        }
        defer { try? file.close() }
        var ticks = SyntheticTicks(seed: seed)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for _ in 0..<events {
            // The payload plus the tick's time (the envelope's timestamp), as one line.
            let tick = ticks.next()!
            buffer.append(contentsOf: tick.payload.dropLast())
            buffer.append(contentsOf: Array(",\"ts\":\(tick.timestampMs)}\n".utf8))
            if buffer.count > 1 << 20 {
                file.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        file.write(Data(buffer))
    }
}
