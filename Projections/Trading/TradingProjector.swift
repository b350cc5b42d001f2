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
    public let version = 2
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
        var audits: [String: Audit] = [:]
        var auditOrder: [String] = []
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
                let size = fill.side == "buy" ? fill.sizeE8 : -fill.sizeE8
                let lever = try leverage(of: fill.orderId)
                try change(AccountKey(clone: fill.cloneId, competition: fill.competitionId ?? ""), at: record.timestampMs) { state in
                    state.account = state.account.applying(.fill(asset: fill.asset, sizeE8: size, priceE8: fill.priceE8, feeE6: fill.feeE6,
                                                                 leverage: lever, stopLossE8: nil, takeProfitE8: nil))
                    state.fills += 1
                }
            case let funding as FundingPaid:
                try change(AccountKey(clone: funding.cloneId, competition: funding.competitionId ?? ""), at: record.timestampMs) { state in
                    state.account = state.account.applying(.funding(asset: funding.asset, amountE6: funding.amountE6))
                    state.fundingPayments += 1
                }
            case let marked as AccountMarked:
                try change(AccountKey(clone: marked.cloneId, competition: marked.competitionId), at: record.timestampMs) { state in
                    state.account.peakEquityE6 = marked.peakEquityE6
                    state.account.maxDrawdownBp = marked.maxDrawdownBp
                    state.marked = (marked, record.timestampMs)
                }
            case let liquidated as Liquidated:
                let prefix = "account.\(liquidated.cloneId)."
                let competition = record.stream.hasPrefix(prefix) ? String(record.stream.dropFirst(prefix.count)) : ""
                try change(AccountKey(clone: liquidated.cloneId, competition: competition), at: record.timestampMs) { state in
                    // Closed at the mark without a fee, as the runtime's liquidation closes each position.
                    state.account = state.account.applying(.fill(asset: liquidated.asset, sizeE8: -liquidated.positionE8, priceE8: liquidated.markPxE8,
                                                                 feeE6: 0, leverage: 1, stopLossE8: nil, takeProfitE8: nil))
                    state.liquidations += 1
                }
            default:
                break
            }
        }

        /// The events every run writes (three to five per decision), read with the one-pass field
        /// scanner instead of the catalog's decoder; false for anything else (another version too),
        /// which takes the catalog's path. Run due, context assembled and gate rejected have one
        /// version, so they are read here only.
        mutating func applyFast(_ record: LogRecord) throws -> Bool {
            let versions = [RunDue.type: RunDue.version, ContextAssembled.type: ContextAssembled.version,
                            DecisionProposed.type: DecisionProposed.version, GateRejected.type: GateRejected.version]
            guard let version = versions[record.type], version == record.schemaVersion else { return false }
            var strings: [String: String] = [:]
            var integers: [String: Int64] = [:]
            do {
                try PayloadFields.scan(record.payload) { key, value in
                    let name = String(decoding: key, as: UTF8.self)
                    switch value {
                    case .string(let text): strings[name] = text
                    case .integer(let number): integers[name] = number
                    case .other: break
                    }
                }
            } catch {
                throw ProjectionError.badEvent(projector: "trading", sequence: record.sequence, type: record.type, reason: "\(error)")
            }
            func string(_ name: String) throws -> String {
                guard let value = strings[name] else {
                    throw ProjectionError.badEvent(projector: "trading", sequence: record.sequence, type: record.type, reason: "no \(name)")
                }
                return value
            }
            func integer(_ name: String) throws -> Int64 {
                guard let value = integers[name] else {
                    throw ProjectionError.badEvent(projector: "trading", sequence: record.sequence, type: record.type, reason: "no \(name)")
                }
                return value
            }
            let runId = try string("run_id")
            switch record.type {
            case RunDue.type:
                let clone = try string("clone_id"), competition = try string("context_id")
                let due = (clone, competition, try string("context"), try string("asset"), record.timestampMs, try integer("cadence_ms"),
                           Int64(record.sequence))
                audit(runId) { $0.due = due }
                try change(AccountKey(clone: clone, competition: competition), at: record.timestampMs) { _ in }
            case ContextAssembled.type:
                let hash = try string("packet_hash"), bytes = try integer("bytes"), through = try integer("through_sequence")
                audit(runId) {
                    $0.packetHash = hash
                    $0.packetBytes = bytes
                    $0.throughSequence = through
                }
            case DecisionProposed.type:
                noteDecision(runId, engine: try string("engine"), version: try integer("engine_version"), action: try string("action"),
                             sizeUsdE6: integers["size_usd_e6"], leverage: try integer("leverage"), confidenceBp: try integer("confidence_bp"),
                             holdCause: strings["hold_cause"])
            default:
                let gate = try string("gate"), detail = try string("detail")
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
            if audits[runId] == nil { auditOrder.append(runId) }
            change(&audits[runId, default: Audit()])
        }

        func leverage(of orderId: String) throws -> Int64 {
            if let known = leverage[orderId] { return known }
            return try Int64.fetchOne(db.cachedStatement(sql: "SELECT leverage FROM dry_run_order WHERE order_id = ?"), arguments: [orderId]) ?? 1
        }

        mutating func change(_ key: AccountKey, at time: Int64, _ body: (inout AccountState) -> Void) throws {
            if accounts[key] == nil { accounts[key] = try load(key) }
            body(&accounts[key]!)
            accounts[key]!.updatedMs = time
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
            audits = [:]
            auditOrder = []
            orders = []
            filledOrders = []
            fills = []
            accounts = [:]
            leverage = [:]
        }
    }
}
