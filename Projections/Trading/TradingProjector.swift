import Domain
import EventSchemas
import GRDB
import GRDBSQLite
import LedgerLog

/// The runtime's read models (`trading.sqlite`): `execution_audit` (a row per run), `dry_run_order`,
/// `fill`, and each paper `account` with its `position`s, the accounts kept by the same
/// `PaperAccount` rules the runtime applies. Rows are gathered in memory during a transaction and
/// written with raw binds when it ends.
public struct TradingProjector: Projector {
    public let name = "trading"
    public let version = 3
    public let schemaSQL = Resources.sql("trading")
    public let eventTypes: Set<String>? = [RunDue.type, ContextAssembled.type, DecisionProposed.type, GateRejected.type, OrderDryRun.type,
                                           Fill.type, FundingPaid.type, Liquidated.type, AccountMarked.type]

    public init() {}

    public func makeFold(_ db: Database) throws -> any ProjectorFold { Fold(db: db) }

    /// The columns of an audit row this transaction learned.
    struct Audit {
        var due: (clone: String, competition: String, context: String, asset: String, ts: Int64, cadence: Int64, sequence: Int64)?
        var packetHash: String?, packetBytes: Int64?, throughSequence: Int64?
        var engine: String?, engineVersion: Int64?, action: String?, sizeUsdE6: Int64?, leverage: Int64?, confidenceBp: Int64?, holdCause: String?
        var gate: String?, gateDetail: String?, orderId: String?, fillPriceE8: Int64?, fillFeeE6: Int64?
    }

    struct AccountKey: Hashable, Comparable {
        var clone: String, competition: String
        static func < (a: AccountKey, b: AccountKey) -> Bool { (a.clone, a.competition) < (b.clone, b.competition) }
    }

    struct AccountState {
        var account: PaperAccount
        var fills = 0, fundingPayments = 0, liquidations = 0
        var updatedMs: Int64 = 0
        /// The last hourly mark, and when.
        var marked: (event: AccountMarked, ms: Int64)?
    }

    struct Fold: ProjectorFold {
        let db: Database
        /// Runs in the order this transaction met them; a run's events are mostly adjacent, so the
        /// last run is tried before the index.
        var audits: [(runId: String, audit: Audit)] = []
        var auditIndex: [String: Int] = [:]
        var orders: [(order: OrderDryRun, stream: String, ts: Int64, sequence: Int64)] = []
        var filledOrders: [String] = []
        var fills: [(fill: Fill, ts: Int64, sequence: Int64)] = []
        var accounts: [AccountKey: AccountState] = [:]
        var leverage: [String: Int64] = [:]

        init(db: Database) {
            self.db = db
        }

        mutating func apply(_ record: LogRecord) throws {
            if try applyFast(record) { return }
            let event: any CatalogEvent
            do {
                event = try EventCatalog.decode(record)
            } catch {
                throw ProjectionError.badEvent(projector: "trading", sequence: record.sequence, type: record.type, reason: "\(error)")
            }
            switch event {
            case let decision as DecisionProposed:
                // An older version, upcast (the current one takes the fast path).
                noteDecision(decision.runId, engine: decision.engine, version: decision.engineVersion, action: decision.action,
                             sizeUsdE6: decision.sizeUsdE6, leverage: decision.leverage, confidenceBp: decision.confidenceBp, holdCause: decision.holdCause)
            case let order as OrderDryRun:
                audit(order.runId) { $0.orderId = order.orderId }
                orders.append((order, record.stream, record.timestampMs, Int64(record.sequence)))
                leverage[order.orderId] = order.leverage
            case let fill as Fill:
                fills.append((fill, record.timestampMs, Int64(record.sequence)))
                filledOrders.append(fill.orderId)
                if fill.cause == nil || fill.cause == "decision", let runId = runId(ofOrder: fill.orderId) {
                    audit(runId) {
                        $0.fillPriceE8 = fill.priceE8
                        $0.fillFeeE6 = fill.feeE6
                    }
                }
                let lever = try leverage(of: fill.orderId)
                try change(AccountKey(clone: fill.cloneId, competition: fill.competitionId ?? ""), at: record.timestampMs) { state in
                    state.account = state.account.applying(logged: fill, leverage: { _ in lever })
                    state.fills += 1
                }
            case let funding as FundingPaid:
                try change(AccountKey(clone: funding.cloneId, competition: funding.competitionId ?? ""), at: record.timestampMs) { state in
                    state.account = state.account.applying(logged: funding, leverage: { _ in 1 })
                    state.fundingPayments += 1
                }
            case let marked as AccountMarked:
                try change(AccountKey(clone: marked.cloneId, competition: marked.competitionId), at: record.timestampMs) { state in
                    state.account = state.account.applying(logged: marked, leverage: { _ in 1 })
                    state.marked = (marked, record.timestampMs)
                }
            case let liquidated as Liquidated:
                guard let competition = Streams.competition(ofAccount: record.stream, clone: liquidated.cloneId) else {
                    throw ProjectionError.badEvent(projector: "trading", sequence: record.sequence, type: record.type,
                                                   reason: "stream \(record.stream) is not an account stream of clone \(liquidated.cloneId)")
                }
                try change(AccountKey(clone: liquidated.cloneId, competition: competition), at: record.timestampMs) { state in
                    state.account = state.account.applying(logged: liquidated, leverage: { _ in 1 })
                    state.liquidations += 1
                }
            default:
                break
            }
        }

        /// The fields of the events every run writes, as the one-pass scanner finds them.
        struct RunFields {
            var runId, clone, competition, context, asset, packetHash, engine, action, holdCause, gate, detail: String?
            var cadence, bytes, through, engineVersion, sizeUsdE6, leverage, confidenceBp: Int64?

            init(_ record: LogRecord) throws {
                var fields = RunFields()
                do {
                    try PayloadFields.scan(record.payload) { key, value in
                        switch value {
                        case .string(let text): fields.set(key, text)
                        case .integer(let number): fields.set(key, number)
                        case .other: break
                        }
                    }
                } catch {
                    throw ProjectionError.badEvent(projector: "trading", sequence: record.sequence, type: record.type, reason: "\(error)")
                }
                self = fields
            }

            private init() {}

            private mutating func set(_ key: UnsafeRawBufferPointer, _ text: String) {
                if PayloadFields.key(key, is: "run_id") { runId = text }
                else if PayloadFields.key(key, is: "clone_id") { clone = text }
                else if PayloadFields.key(key, is: "context_id") { competition = text }
                else if PayloadFields.key(key, is: "context") { context = text }
                else if PayloadFields.key(key, is: "asset") { asset = text }
                else if PayloadFields.key(key, is: "packet_hash") { packetHash = text }
                else if PayloadFields.key(key, is: "engine") { engine = text }
                else if PayloadFields.key(key, is: "action") { action = text }
                else if PayloadFields.key(key, is: "hold_cause") { holdCause = text }
                else if PayloadFields.key(key, is: "gate") { gate = text }
                else if PayloadFields.key(key, is: "detail") { detail = text }
            }

            private mutating func set(_ key: UnsafeRawBufferPointer, _ number: Int64) {
                if PayloadFields.key(key, is: "cadence_ms") { cadence = number }
                else if PayloadFields.key(key, is: "bytes") { bytes = number }
                else if PayloadFields.key(key, is: "through_sequence") { through = number }
                else if PayloadFields.key(key, is: "engine_version") { engineVersion = number }
                else if PayloadFields.key(key, is: "size_usd_e6") { sizeUsdE6 = number }
                else if PayloadFields.key(key, is: "leverage") { leverage = number }
                else if PayloadFields.key(key, is: "confidence_bp") { confidenceBp = number }
            }
        }

        /// The events every run writes (three to five per decision), read with the one-pass field
        /// scanner instead of the catalog's decoder; false for anything else (another version too),
        /// which takes the catalog's path. Run due, context assembled and gate rejected have one
        /// version, so they are read here only.
        mutating func applyFast(_ record: LogRecord) throws -> Bool {
            let version: Int
            switch record.type {
            case RunDue.type: version = RunDue.version
            case ContextAssembled.type: version = ContextAssembled.version
            case DecisionProposed.type: version = DecisionProposed.version
            case GateRejected.type: version = GateRejected.version
            default: return false
            }
            guard version == record.schemaVersion else { return false }
            let fields = try RunFields(record)
            func required<Value>(_ value: Value?, _ name: String) throws -> Value {
                guard let value else {
                    throw ProjectionError.badEvent(projector: "trading", sequence: record.sequence, type: record.type, reason: "no \(name)")
                }
                return value
            }
            let runId = try required(fields.runId, "run_id")
            switch record.type {
            case RunDue.type:
                let clone = try required(fields.clone, "clone_id"), competition = try required(fields.competition, "context_id")
                let due = (clone, competition, try required(fields.context, "context"), try required(fields.asset, "asset"), record.timestampMs,
                           try required(fields.cadence, "cadence_ms"), Int64(record.sequence))
                audit(runId) { $0.due = due }
                try change(AccountKey(clone: clone, competition: competition), at: record.timestampMs) { _ in }
            case ContextAssembled.type:
                let hash = try required(fields.packetHash, "packet_hash"), bytes = try required(fields.bytes, "bytes")
                let through = try required(fields.through, "through_sequence")
                audit(runId) {
                    $0.packetHash = hash
                    $0.packetBytes = bytes
                    $0.throughSequence = through
                }
            case DecisionProposed.type:
                noteDecision(runId, engine: try required(fields.engine, "engine"), version: try required(fields.engineVersion, "engine_version"),
                             action: try required(fields.action, "action"), sizeUsdE6: fields.sizeUsdE6,
                             leverage: try required(fields.leverage, "leverage"), confidenceBp: try required(fields.confidenceBp, "confidence_bp"),
                             holdCause: fields.holdCause)
            default:
                let gate = try required(fields.gate, "gate"), detail = try required(fields.detail, "detail")
                audit(runId) {
                    $0.gate = gate
                    $0.gateDetail = detail
                }
            }
            return true
        }

        mutating func noteDecision(_ runId: String, engine: String, version: Int64, action: String, sizeUsdE6: Int64?, leverage: Int64,
                                   confidenceBp: Int64, holdCause: String?) {
            audit(runId) {
                $0.engine = engine
                $0.engineVersion = version
                $0.action = action
                $0.sizeUsdE6 = sizeUsdE6
                $0.leverage = leverage
                $0.confidenceBp = confidenceBp
                $0.holdCause = holdCause
            }
        }

        /// The runtime names an order `<run id>.order`.
        func runId(ofOrder orderId: String) -> String? {
            orderId.hasSuffix(".order") ? String(orderId.dropLast(".order".count)) : nil
        }

        mutating func audit(_ runId: String, _ change: (inout Audit) -> Void) {
            if let last = audits.indices.last, audits[last].runId == runId {
                change(&audits[last].audit)
            } else if let index = auditIndex[runId] {
                change(&audits[index].audit)
            } else {
                auditIndex[runId] = audits.count
                audits.append((runId, Audit()))
                change(&audits[audits.count - 1].audit)
            }
        }

        func leverage(of orderId: String) throws -> Int64 {
            if let known = leverage[orderId] { return known }
            return try Int64.fetchOne(db.cachedStatement(sql: "SELECT leverage FROM dry_run_order WHERE order_id = ?"), arguments: [orderId]) ?? 1
        }

        mutating func change(_ key: AccountKey, at time: Int64, _ body: (inout AccountState) -> Void) throws {
            if let index = accounts.index(forKey: key) {
                body(&accounts.values[index])
                accounts.values[index].updatedMs = time
            } else {
                var state = try load(key)
                body(&state)
                state.updatedMs = time
                accounts[key] = state
            }
        }

        /// An account as the read model holds it, or a fresh one.
        func load(_ key: AccountKey) throws -> AccountState {
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM account WHERE clone_id = ? AND competition_id = ?"),
                                             arguments: [key.clone, key.competition]) else {
                return AccountState(account: PaperAccount())
            }
            var account = PaperAccount(startingEquityE6: row["starting_equity_e6"])
            account.cashE6 = row["cash_e6"]
            account.realizedE6 = row["realized_e6"]
            account.feesE6 = row["fees_e6"]
            account.fundingE6 = row["funding_e6"]
            for position in try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM position WHERE clone_id = ? AND competition_id = ?"),
                                             arguments: [key.clone, key.competition]) {
                account.positions[position["asset"]] = PaperAccount.Position(sizeE8: position["size_e8"], entryPxE8: position["entry_px_e8"],
                                                                             leverage: position["leverage"])
            }
            var state = AccountState(account: account, fills: row["fills"], fundingPayments: row["funding_payments"],
                                     liquidations: row["liquidations"], updatedMs: row["updated_ms"])
            if let markedMs: Int64 = row["marked_ms"] {
                state.marked = (AccountMarked(cloneId: key.clone, competitionId: key.competition, equityE6: row["equity_e6"], cashE6: row["cash_e6"],
                                              unrealizedE6: row["unrealized_e6"], realizedE6: row["realized_e6"], feesE6: row["fees_e6"],
                                              fundingE6: row["funding_e6"], marginUsedE6: row["margin_used_e6"], freeMarginE6: row["free_margin_e6"],
                                              peakEquityE6: row["peak_equity_e6"], maxDrawdownBp: row["max_drawdown_bp"], returnBp: row["return_bp"],
                                              marks: []), markedMs)
                state.account.peakEquityE6 = row["peak_equity_e6"]
                state.account.maxDrawdownBp = row["max_drawdown_bp"]
            }
            return state
        }

        mutating func flush() throws {
            try flushAudits()
            try flushOrdersAndFills()
            try flushAccounts()
            audits = []
            auditIndex = [:]
            orders = []
            filledOrders = []
            fills = []
            accounts = [:]
            leverage = [:]
        }
    }
}
