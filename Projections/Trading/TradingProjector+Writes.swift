import GRDB
import GRDBSQLite

/// Writing what a transaction gathered, with raw binds.
extension TradingProjector.Fold {
    func flushAudits() throws {
        // A run whose run_due is in this transaction is inserted whole; a run begun in an earlier
        // one gets the columns learned now.
        let insert = try db.cachedStatement(sql: """
            INSERT INTO execution_audit (run_id, clone_id, competition_id, context, asset, ts, cadence_ms, packet_hash, packet_bytes,
                through_sequence, engine, engine_version, action, size_usd_e6, leverage, confidence_bp, hold_cause, gate, gate_detail,
                order_id, fill_price_e8, fill_fee_e6, sequence)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)
            """)
        let update = try db.cachedStatement(sql: """
            UPDATE execution_audit SET packet_hash = coalesce(?8, packet_hash), packet_bytes = coalesce(?9, packet_bytes),
                through_sequence = coalesce(?10, through_sequence), engine = coalesce(?11, engine), engine_version = coalesce(?12, engine_version),
                action = coalesce(?13, action), size_usd_e6 = coalesce(?14, size_usd_e6), leverage = coalesce(?15, leverage),
                confidence_bp = coalesce(?16, confidence_bp), hold_cause = coalesce(?17, hold_cause), gate = coalesce(?18, gate),
                gate_detail = coalesce(?19, gate_detail), order_id = coalesce(?20, order_id), fill_price_e8 = coalesce(?21, fill_price_e8),
                fill_fee_e6 = coalesce(?22, fill_fee_e6)
            WHERE run_id = ?1
            """)
        for (runId, audit) in audits {
            try SQLiteBinder.run(audit.due == nil ? update : insert, db) { statement in
                SQLiteBinder.bind(statement, 1, runId)
                if let due = audit.due {
                    SQLiteBinder.bind(statement, 2, due.clone)
                    SQLiteBinder.bind(statement, 3, due.competition)
                    SQLiteBinder.bind(statement, 4, due.context)
                    SQLiteBinder.bind(statement, 5, due.asset)
                    sqlite3_bind_int64(statement, 6, due.ts)
                    sqlite3_bind_int64(statement, 7, due.cadence)
                    sqlite3_bind_int64(statement, 23, due.sequence)
                }
                bind(statement, 8, audit.packetHash)
                bind(statement, 9, audit.packetBytes)
                bind(statement, 10, audit.throughSequence)
                bind(statement, 11, audit.engine)
                bind(statement, 12, audit.engineVersion)
                bind(statement, 13, audit.action)
                bind(statement, 14, audit.sizeUsdE6)
                bind(statement, 15, audit.leverage)
                bind(statement, 16, audit.confidenceBp)
                bind(statement, 17, audit.holdCause)
                bind(statement, 18, audit.gate)
                bind(statement, 19, audit.gateDetail)
                bind(statement, 20, audit.orderId)
                bind(statement, 21, audit.fillPriceE8)
                bind(statement, 22, audit.fillFeeE6)
            }
        }
    }

    func flushOrdersAndFills() throws {
        let insertOrder = try db.cachedStatement(sql: """
            INSERT INTO dry_run_order (order_id, run_id, stream, asset, side, size_e8, leverage, reduce_only, status, ts, sequence)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'accepted', ?, ?)
            """)
        for (order, stream, ts, sequence) in orders {
            try SQLiteBinder.run(insertOrder, db) { statement in
                SQLiteBinder.bind(statement, 1, order.orderId)
                SQLiteBinder.bind(statement, 2, order.runId)
                SQLiteBinder.bind(statement, 3, stream)
                SQLiteBinder.bind(statement, 4, order.asset)
                SQLiteBinder.bind(statement, 5, order.side)
                sqlite3_bind_int64(statement, 6, order.sizeE8)
                sqlite3_bind_int64(statement, 7, order.leverage)
                sqlite3_bind_int64(statement, 8, order.reduceOnly ? 1 : 0)
                sqlite3_bind_int64(statement, 9, ts)
                sqlite3_bind_int64(statement, 10, sequence)
            }
        }
        let filled = try db.cachedStatement(sql: "UPDATE dry_run_order SET status = 'filled' WHERE order_id = ?")
        for orderId in filledOrders {
            try SQLiteBinder.run(filled, db) { SQLiteBinder.bind($0, 1, orderId) }
        }
        let insertFill = try db.cachedStatement(sql: """
            INSERT INTO fill (sequence, order_id, clone_id, competition_id, asset, side, cause, size_e8, price_e8, notional_e6, fee_e6, mid_e8,
                mid_sequence, spread_bp, spread_sequence, fill_policy, ts)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (fill, ts, sequence) in fills {
            try SQLiteBinder.run(insertFill, db) { statement in
                sqlite3_bind_int64(statement, 1, sequence)
                SQLiteBinder.bind(statement, 2, fill.orderId)
                SQLiteBinder.bind(statement, 3, fill.cloneId)
                SQLiteBinder.bind(statement, 4, fill.competitionId ?? "")
                SQLiteBinder.bind(statement, 5, fill.asset)
                SQLiteBinder.bind(statement, 6, fill.side)
                bind(statement, 7, fill.cause)
                sqlite3_bind_int64(statement, 8, fill.sizeE8)
                sqlite3_bind_int64(statement, 9, fill.priceE8)
                bind(statement, 10, fill.notionalE6)
                sqlite3_bind_int64(statement, 11, fill.feeE6)
                bind(statement, 12, fill.midE8)
                bind(statement, 13, fill.midSequence)
                bind(statement, 14, fill.spreadBp)
                bind(statement, 15, fill.spreadSequence)
                sqlite3_bind_int64(statement, 16, fill.fillPolicy)
                sqlite3_bind_int64(statement, 17, ts)
            }
        }
    }

    func flushAccounts() throws {
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO account (clone_id, competition_id, starting_equity_e6, cash_e6, realized_e6, fees_e6, funding_e6, margin_used_e6, fills,
                funding_payments, liquidations, updated_ms, equity_e6, unrealized_e6, free_margin_e6, peak_equity_e6, max_drawdown_bp,
                return_bp, marked_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (clone_id, competition_id) DO UPDATE SET cash_e6 = excluded.cash_e6, realized_e6 = excluded.realized_e6,
                fees_e6 = excluded.fees_e6, funding_e6 = excluded.funding_e6, margin_used_e6 = excluded.margin_used_e6, fills = excluded.fills,
                funding_payments = excluded.funding_payments, liquidations = excluded.liquidations, updated_ms = excluded.updated_ms,
                equity_e6 = excluded.equity_e6, unrealized_e6 = excluded.unrealized_e6, free_margin_e6 = excluded.free_margin_e6,
                peak_equity_e6 = excluded.peak_equity_e6, max_drawdown_bp = excluded.max_drawdown_bp, return_bp = excluded.return_bp,
                marked_ms = excluded.marked_ms
            """)
        let clear = try db.cachedStatement(sql: "DELETE FROM position WHERE clone_id = ? AND competition_id = ?")
        let insertPosition = try db.cachedStatement(sql: "INSERT INTO position VALUES (?, ?, ?, ?, ?, ?)")
        for key in accounts.keys.sorted() {
            let state = accounts[key]!
            let account = state.account
            try SQLiteBinder.run(upsert, db) { statement in
                SQLiteBinder.bind(statement, 1, key.clone)
                SQLiteBinder.bind(statement, 2, key.competition)
                for (index, value) in [account.startingEquityE6, account.cashE6, account.realizedE6, account.feesE6, account.fundingE6,
                                       account.marginUsedE6, Int64(state.fills), Int64(state.fundingPayments), Int64(state.liquidations),
                                       state.updatedMs].enumerated() {
                    sqlite3_bind_int64(statement, Int32(index + 3), value)
                }
                let marked = state.marked?.event
                for (index, value) in [marked?.equityE6, marked?.unrealizedE6, marked?.freeMarginE6, marked?.peakEquityE6, marked?.maxDrawdownBp,
                                       marked?.returnBp, state.marked?.ms].enumerated() {
                    bind(statement, Int32(index + 13), value)
                }
            }
            try SQLiteBinder.run(clear, db) { statement in
                SQLiteBinder.bind(statement, 1, key.clone)
                SQLiteBinder.bind(statement, 2, key.competition)
            }
            for asset in account.positions.keys.sorted() {
                let position = account.positions[asset]!
                try SQLiteBinder.run(insertPosition, db) { statement in
                    SQLiteBinder.bind(statement, 1, key.clone)
                    SQLiteBinder.bind(statement, 2, key.competition)
                    SQLiteBinder.bind(statement, 3, asset)
                    sqlite3_bind_int64(statement, 4, position.sizeE8)
                    sqlite3_bind_int64(statement, 5, position.entryPxE8)
                    sqlite3_bind_int64(statement, 6, position.leverage)
                }
            }
        }
    }

    func bind(_ statement: OpaquePointer, _ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    func bind(_ statement: OpaquePointer, _ index: Int32, _ value: String?) {
        if let value { SQLiteBinder.bind(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }
}
