import ArgumentParser
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks and load drivers (build with -c release for figures worth quoting).",
        subcommands: [BenchAppend.self, BenchLog.self, BenchReplay.self, BenchTicks.self, BenchIngest.self, BenchLiveDay.self, BenchContext.self, BenchRuntime.self, BenchSeason.self, BenchAudit.self, BenchTree.self, BenchSignIn.self])
}

/// Seconds since an arbitrary start, from the monotonic clock.
func monotonicSeconds() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}
