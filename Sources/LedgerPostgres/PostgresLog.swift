import Canonical
import Foundation
import LedgerLog
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The log on PostgreSQL, behind the same `LogStore` protocol as the file log and run through the
/// same contract tests: the same canonical record bytes, the same batch boundaries (one append, one
/// batch), the same chain values, so the same RFC 9162 tree and an export that imports into a file
/// log with the same head.
///
/// **One gapless order under concurrent writers.** Every transaction that appends locks the one
/// head row (sequence and chain value), writes the records numbered after it and moves it — so
/// sequences follow commit order, a rolled-back or killed append leaves no gap, and writers in any
/// number of processes and machines append to one chain. A small group of appends is placed by the
/// database (`clash_append`, so the lock is held for no round trip); a large one by this writer,
/// under the lock (`SELECT … FOR UPDATE`). The database enforces idempotency (a unique event id)
/// and stream versions (a unique stream and version); a conflict is the typed error the file log
/// throws, with nothing written, and a retried append of events already written (after a lost
/// reply) returns their original positions.
///
/// **Group commit.** Appends from concurrent callers of one store are written together, each its
/// own batch with its own chain value (so the log is the same however they were grouped), in one
/// transaction and one commit; one caller's failed check fails its own append alone.
///
/// Calls block the calling thread on a connection served by SwiftNIO's event loops (never the
/// caller's own executor), one call at a time per store.
public final class PostgresLog: LogStore, @unchecked Sendable {
    public let location: PostgresLocation
    var connection: PostgresConnection
    let logger: Logger
    private let reconnect: Reconnect
    private let listener: PostgresAppendListener
    /// Held by a call while it uses the connection.
    let lock = NSLock()
    var closed = false
    /// Appends waiting to be written, and whether a caller is writing a group of them.
    let appendQueue = AppendQueue()
    var counters = Statistics()
    /// The channel an append notifies (its last sequence) when it commits.
    public static let channel = "clash_log"

    private init(location: PostgresLocation, connection: PostgresConnection, logger: Logger, reconnect: Reconnect) {
        self.location = location
        self.connection = connection
        self.logger = logger
        self.reconnect = reconnect
        self.listener = PostgresAppendListener(location: location, logger: logger)
    }

    /// What a call does when the server is unavailable (restarted, failed over, the session
    /// ended): give up at once with `PostgresLogError.unavailable`, or reconnect and retry the whole
    /// call for up to `seconds`, reporting each attempt. A retried append sends the same events, so
    /// one whose commit went through before its reply was lost is recognised as written, never
    /// written twice.
    public struct Reconnect: Sendable {
        public let seconds: Double
        public let report: @Sendable (PostgresLogError, _ attempt: Int) -> Void

        public static let never = Reconnect(seconds: 0) { _, _ in }

        public static func within(_ seconds: Double, report: @escaping @Sendable (PostgresLogError, _ attempt: Int) -> Void) -> Reconnect {
            Reconnect(seconds: seconds, report: report)
        }
    }

    /// A store dropped without `close()` (a reader a command let go of) still ends its session.
    deinit {
        if !closed {
            try? connection.close().wait()
            listener.close()
        }
    }

    /// Connects, applies the migrations this database has not yet applied (none on a replica,
    /// which only reads), and opens the log.
    public static func open(_ location: PostgresLocation, reconnect: Reconnect = .never) throws -> PostgresLog {
        var logger = Logger(label: "clash.postgres")
        logger.logLevel = .critical
        let connection = try connect(location, logger: logger)
        let log = PostgresLog(location: location, connection: connection, logger: logger, reconnect: reconnect)
        do {
            try PostgresMigrations.apply(log)
        } catch {
            try? connection.close().wait()
            throw error
        }
        return log
    }

    static func connect(_ location: PostgresLocation, logger: Logger) throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                             password: location.password, database: location.database, tls: .disable)
        // The session works in the log's schema (the migrations create it). A page of the log is a
        // range of sequences read in order: an index scan, whatever the planner's statistics say (a
        // table just written has none, and a bitmap scan then sorts every page).
        configuration.options.additionalStartupParameters = [("search_path", location.schema), ("enable_bitmapscan", "off")]
        do {
            return try waitBounded(PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                                                              id: 1, logger: logger), seconds: statementTimeoutSeconds)
        } catch {
            throw describe(error, location: location, operation: "the connection")
        }
    }

    /// Before an operation (never inside a transaction): a connection the server ended — a
    /// restart, a terminated session — is replaced by a new one, so the caller's retry goes on.
    private func reconnectIfClosed() throws {
        guard connection.isClosed else { return }
        let fresh = try Self.connect(location, logger: logger)
        try? connection.close().wait()
        connection = fresh
    }

    /// Opens `url` (see `PostgresLocation`).
    public static func open(url: String, reconnect: Reconnect = .never) throws -> PostgresLog {
        try open(PostgresLocation(url: url), reconnect: reconnect)
    }

    /// Runs one whole call (a transaction, a page of a read) on a live connection; when the server
    /// is unavailable, drops the connection and runs it again on a new one, as `reconnect` allows.
    func retrying<T>(_ body: () throws -> T) throws -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        var attempt = 0
        while true {
            do {
                try reconnectIfClosed()
                return try body()
            } catch let error as PostgresLogError {
                guard case .unavailable = error, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < reconnect.seconds else { throw error }
                attempt += 1
                reconnect.report(error, attempt)
                if !connection.isClosed { _ = try? Self.waitBounded(connection.close(), seconds: 5) }
                Thread.sleep(forTimeInterval: min(0.05 * Double(1 << min(attempt, 5)), 1))
            }
        }
    }

    // MARK: - Statements

    /// Runs one statement and returns its rows.
    @discardableResult
    func query(_ query: PostgresQuery, _ operation: String) throws -> [PostgresRow] {
        try Self.run(query, on: connection, location: location, logger: logger, operation)
    }

    /// Runs one statement on `connection`, bounded in time, its errors said as `PostgresLogError`.
    static func run(_ query: PostgresQuery, on connection: PostgresConnection, location: PostgresLocation, logger: Logger,
                    _ operation: String) throws -> [PostgresRow] {
        guard !connection.isClosed else {
            throw PostgresLogError.unavailable(location: location.description, reason: "the connection is closed (before \(operation))")
        }
        return try Array(answer(connection.query(query, logger: logger), location: location, operation).rows)
    }

    /// Waits for a statement's answer, bounded in time, its errors said as `PostgresLogError`.
    static func answer<T: Sendable>(_ future: EventLoopFuture<T>, location: PostgresLocation, _ operation: String) throws -> T {
        do {
            return try waitBounded(future, seconds: statementTimeoutSeconds)
        } catch {
            throw describe(error, location: location, operation: operation)
        }
    }

    /// How long one statement may take before the store gives up on its connection.
    static let statementTimeoutSeconds: Int64 = 60

    struct Timeout: Error {}

    /// Waits for `future`, failing after `seconds` (a connection the server ended can leave a
    /// statement unanswered; the caller then gets an error, never a hang).
    static func waitBounded<T: Sendable>(_ future: EventLoopFuture<T>, seconds: Int64) throws -> T {
        let promise = future.eventLoop.makePromise(of: T.self)
        future.cascade(to: promise)
        let timer = future.eventLoop.scheduleTask(in: .seconds(seconds)) { promise.fail(Timeout()) }
        defer { timer.cancel() }
        return try promise.futureResult.wait()
    }

    /// Runs statements without parameters, one at a time: `sql` split at each `;` that ends a line
    /// outside a dollar-quoted body (`$$ … $$`, a function's). Comment lines are dropped.
    func execute(_ sql: String, _ operation: String) throws {
        let lines = sql.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
        var statement = ""
        var inBody = false
        for line in lines {
            statement += line + "\n"
            if line.components(separatedBy: "$$").count % 2 == 0 { inBody.toggle() }
            if !inBody, line.trimmingCharacters(in: .whitespaces).hasSuffix(";") {
                try query(PostgresQuery(unsafeSQL: String(statement.trimmingCharacters(in: .whitespacesAndNewlines).dropLast())), operation)
                statement = ""
            }
        }
        let rest = statement.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { try query(PostgresQuery(unsafeSQL: rest), operation) }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ operation: String, _ body: () throws -> T) throws -> T {
        try execute("BEGIN", operation)
        do {
            let value = try body()
            try execute("COMMIT", operation)
            return value
        } catch {
            try? execute("ROLLBACK", operation)
            throw error
        }
    }

    static func describe(_ error: any Error, location: PostgresLocation, operation: String) -> any Error {
        if error is PostgresLogError || error is LogError { return error }
        if error is Timeout {
            return PostgresLogError.unavailable(location: location.description, reason: "no answer within \(statementTimeoutSeconds) s during \(operation)")
        }
        if let error = error as? PSQLError {
            if error.code == .server, let info = error.serverInfo {
                let state = info[.sqlState] ?? "?"
                // Class 08 (connection exception) and 57 (operator intervention: a terminated
                // session, a server shutting down): the connection is gone, nothing was committed.
                if state.hasPrefix("08") || state.hasPrefix("57") {
                    return PostgresLogError.unavailable(location: location.description,
                                                        reason: "\(info[.message] ?? "the connection ended") (SQLSTATE \(state)) during \(operation)")
                }
                if state == "25006" { return PostgresLogError.readOnly(location: location.description, operation: operation) }
                return PostgresLogError.server(location: location.description, operation: operation, code: info[.sqlState] ?? "?",
                                               message: info[.message] ?? "\(error)")
            }
            let reason: String
            switch error.code {
            case .connectionError: reason = "cannot connect (\(error.underlying.map { "\($0)" } ?? "no reason given"))"
            case .serverClosedConnection, .uncleanShutdown: reason = "the server closed the connection during \(operation)"
            case .clientClosedConnection: reason = "the connection is closed"
            default: reason = "\(error.code) during \(operation)"
            }
            return PostgresLogError.unavailable(location: location.description, reason: reason)
        }
        return PostgresLogError.unavailable(location: location.description, reason: "\(error) during \(operation)")
    }

    // MARK: - LogStore

    public func streamVersion(_ stream: String) throws -> UInt64 {
        try locked {
            let rows = try query("SELECT coalesce(max(stream_version), 0) FROM log_events WHERE stream = \(stream)", "reading a stream's version")
            return UInt64(try rows.first?.decode(Int64.self) ?? 0)
        }
    }

    public var head: LogHead {
        get throws {
            try locked {
                let rows = try query("SELECT seq, chain FROM log_head WHERE id = 1", "reading the head")
                guard let row = rows.first else { throw PostgresLogError.corrupt(sequence: 0, reason: "the head row is missing") }
                let (sequence, chain) = try row.decode((Int64, ByteBuffer).self)
                return LogHead(sequence: UInt64(sequence), chain: ChainHash(bytes: Array(chain.readableBytesView)))
            }
        }
    }

    /// The bytes the log's tables and their indexes take in the database.
    public func storageBytes() throws -> Int {
        try locked {
            let rows = try query("""
                SELECT (pg_total_relation_size('log_events') + pg_total_relation_size('log_batches')
                        + pg_total_relation_size('log_head'))::int8
                """, "measuring the log's tables")
            return Int(try rows.first?.decode(Int64.self) ?? 0)
        }
    }

    public func chain(endingAt sequence: UInt64) throws -> ChainHash? {
        try locked {
            let rows = try query("SELECT chain FROM log_batches WHERE last_seq = \(Int64(sequence))", "reading a batch's chain value")
            return try rows.first.map { ChainHash(bytes: Array(try $0.decode(ByteBuffer.self).readableBytesView)) }
        }
    }

    public func forEach(from sequence: UInt64, filter: RecordFilter, _ body: (LogRecord) throws -> Bool) throws {
        try forEachStored(from: sequence, filter: filter) { page in
            for index in page.sequences.indices {
                let stored = page.sequences[index]
                let record: LogRecord
                do {
                    record = try RecordCodec.decode(page.bytes, page.range(index))
                } catch {
                    throw PostgresLogError.corrupt(sequence: stored, reason: "\(error)")
                }
                guard record.sequence == stored else {
                    throw PostgresLogError.corrupt(sequence: stored, reason: "the record says sequence \(record.sequence)")
                }
                if try !body(record) { return false }
            }
            return true
        }
    }

    public func forEachCanonical(from sequence: UInt64, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool) throws {
        try forEachStored(from: sequence, filter: .all) { page in
            try page.bytes.withUnsafeBytes { raw in
                for index in page.sequences.indices where try !body(page.sequences[index], UnsafeRawBufferPointer(rebasing: raw[page.range(index)])) {
                    return false
                }
                return true
            }
        }
    }

    /// One page of stored records: their sequences and canonical bytes end to end, copied out of
    /// the rows as they arrive (on the connection's event loop, while the caller decodes the page
    /// before).
    final class Page: @unchecked Sendable {
        var sequences: [UInt64] = []
        var bytes: [UInt8] = []
        var ends: [Int] = []

        func range(_ index: Int) -> Range<Int> { (index == 0 ? 0 : ends[index - 1])..<ends[index] }
    }

    /// Each page of stored records from `sequence` on, up to the head as it was when the read
    /// began, until `body` returns false. The log is gapless, so a page is a range of sequences
    /// (which an index reads in order, whatever the planner's statistics say); the next page is
    /// asked for before the body sees this one, so the server reads while the caller decodes.
    private func forEachStored(from sequence: UInt64, filter: RecordFilter, _ body: (Page) throws -> Bool) throws {
        let end = Int64(try head.sequence)
        var next = Int64(max(sequence, 1))
        var prefetched: (page: Page, done: EventLoopFuture<PostgresQueryMetadata>)?
        while next <= end {
            let upper = min(next + Self.page(filter), end + 1)
            let page: Page = try locked {
                let (page, done) = prefetched ?? fetch(Self.pageQuery(filter, from: next, to: upper))
                prefetched = nil
                _ = try Self.answer(done, location: location, "reading the log")
                return page
            }
            if upper <= end {
                let following = Self.pageQuery(filter, from: upper, to: min(upper + Self.page(filter), end + 1))
                lock.lock()
                if !closed, !connection.isClosed { prefetched = fetch(following) }
                lock.unlock()
            }
            if try !body(page) { return }
            next = upper
        }
    }

    private func fetch(_ query: PostgresQuery) -> (Page, EventLoopFuture<PostgresQueryMetadata>) {
        let page = Page()
        let done = connection.query(query, logger: logger) { row in
            let (sequence, record) = try row.decode((Int64, ByteBuffer).self)
            page.sequences.append(UInt64(sequence))
            page.bytes.append(contentsOf: record.readableBytesView)
            page.ends.append(page.bytes.count)
        }
        return (page, done)
    }

    /// Sequences a page spans: every record of the range when the read takes them all; a wider
    /// range when it takes one stream's or one type's.
    private static func page(_ filter: RecordFilter) -> Int64 {
        filter.stream == nil && filter.type == nil ? 32_768 : 65_536
    }

    private static func pageQuery(_ filter: RecordFilter, from first: Int64, to upper: Int64) -> PostgresQuery {
        switch (filter.stream, filter.type) {
        case let (stream?, type?):
            "SELECT seq, record FROM log_events WHERE stream = \(stream) AND type = \(type) AND seq >= \(first) AND seq < \(upper) ORDER BY seq"
        case let (stream?, nil):
            "SELECT seq, record FROM log_events WHERE stream = \(stream) AND seq >= \(first) AND seq < \(upper) ORDER BY seq"
        case let (nil, type?):
            "SELECT seq, record FROM log_events WHERE type = \(type) AND seq >= \(first) AND seq < \(upper) ORDER BY seq"
        case (nil, nil):
            "SELECT seq, record FROM log_events WHERE seq >= \(first) AND seq < \(upper) ORDER BY seq"
        }
    }

    /// Wakes when an append commits (LISTEN on a connection of its own), or after `milliseconds`.
    public func waitForAppends(milliseconds: Int) throws {
        guard !closed else { throw LogError.closed }
        listener.wait(milliseconds: milliseconds)
    }

    public func close() throws {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        try? connection.close().wait()
        listener.close()
    }

    private func locked<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { throw LogError.closed }
        return try retrying(body)
    }
}
