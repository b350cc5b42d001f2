import ArgumentParser
import Audit
import Clash
import Transparency
import Foundation
import LedgerLog
import Logging
import Market
import Domain
import EventSchemas
import Runtime

/// Writes lines to standard output without buffering surprises for pipes that read them live.
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func line(_ bytes: [UInt8]) {
        var bytes = bytes
        bytes.append(0x0A)
        FileHandle.standardOutput.write(Data(bytes))
    }

    /// Bytes as they are (for output built in bulk).
    static func write(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    static func json(_ build: (inout CanonicalJSONWriter) throws -> Void) rethrows {
        line(try object(build))
    }

    /// One JSON object's bytes, built by `build` (for `ReportOptions.print(objects:)`).
    static func object(_ build: (inout CanonicalJSONWriter) throws -> Void) rethrows -> [UInt8] {
        var writer = CanonicalJSONWriter()
        try build(&writer)
        return writer.bytes
    }

    /// A progress line on standard error (what a long command is doing).
    static func progress(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        logger.error("\(text)")
    }

    /// A line on standard error that is not an error: something the reader should know.
    static func note(_ text: String) {
        logger.notice("\(text)")
    }

    /// Messages for people, on standard error (`StandardErrorLogHandler`).
    static let logger = Logger(label: "clash") { _ in StandardErrorLogHandler() }
}

/// Maps the log's errors to exit codes, after printing them for the reader.
enum Failure {
    static func exit(_ error: Error) -> ExitCode {
        Output.error("\(error)")
        switch error as? LogError {
        case .locked?: return ExitCode(75)
        case .invalidDraft?, .appendTooLarge?, .badImport?, .notEmpty?, .sequenceOutOfRange?, .partialDuplicate?: return ExitCode(65)
        case .wrongExpectedVersion?: return ExitCode(65)
        case .corrupt?, .unsupportedFormat?: return ExitCode(1)
        case .io?, .writerFailed?, .closed?: return ExitCode(74)
        case nil:
            switch error {
            case is IngestError, is DomainError, is GraphProblems, is DisputeError: return ExitCode(65)
            case let catalog as CatalogError where catalog.refusedAppend: return ExitCode(65)
            case is NoLogError: return ExitCode(66)
            case let audit as TreeError:
                if case .sidecar = audit { return ExitCode(1) }
                return ExitCode(65)
            case let artifact as ArtifactError:
                if case .missing = artifact { return ExitCode(66) }
                return ExitCode(1)
            default: return ExitCode(1)
            }
        }
    }
}

/// A command body that maps thrown errors to exit codes.
protocol ClashCommand: ParsableCommand {
    func execute() throws
}

extension ClashCommand {
    func run() throws {
        do {
            try execute()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw Failure.exit(error)
        }
    }
}

extension CanonicalJSONWriter {
    /// A decimal number for reports (never for events, which hold integers only).
    mutating func decimal(_ value: Double, places: Int = 2) {
        raw(Array(String(format: "%.\(places)f", value).utf8))
    }
}
