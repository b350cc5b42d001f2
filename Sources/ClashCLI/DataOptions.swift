import ArgumentParser
import Foundation

/// The data directory every command works on.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The data directory (default: $CLASH_DATA, else ./clash-data).")
    var data: String?

    var directory: String {
        data ?? ProcessInfo.processInfo.environment["CLASH_DATA"] ?? "./clash-data"
    }

    /// The log directory inside the data directory.
    var logDirectory: String { directory + "/log" }
}
