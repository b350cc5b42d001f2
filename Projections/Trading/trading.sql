-- The decision runtime's read models, folded from runtime.* events: one row per run (what an
-- auditor walks through), orders, fills with the market data they used, and each paper account
-- with its positions (cash-side figures; equity needs marks, which `clash accounts show` takes
-- from market memory).

-- One row per run: packet, engine, decision, gate result, order, fill.
-- Keyed by the sequence of the run's run_due event, so that rows are appended in log order.
CREATE TABLE execution_audit (
    sequence         INTEGER NOT NULL PRIMARY KEY,   -- of the run_due event
    run_id           TEXT    NOT NULL UNIQUE,
    clone_id         TEXT    NOT NULL,
    competition_id   TEXT    NOT NULL,
    context          TEXT    NOT NULL,   -- audition, race or free
    asset            TEXT    NOT NULL,
    ts               INTEGER NOT NULL,
    cadence_ms       INTEGER NOT NULL,
    packet_hash      TEXT,
    packet_bytes     INTEGER,
    through_sequence INTEGER,
    engine           TEXT,
    engine_version   INTEGER,
    action           TEXT,
    size_usd_e6      INTEGER,
    leverage         INTEGER,
    confidence_bp    INTEGER,
    hold_cause       TEXT,
    gate             TEXT,               -- the rejecting gate's code, or NULL
    gate_detail      TEXT,
    order_id         TEXT,
    fill_price_e8    INTEGER,
    fill_fee_e6      INTEGER
);

CREATE INDEX execution_audit_by_clone ON execution_audit (clone_id, competition_id, ts);

CREATE TABLE dry_run_order (
    order_id    TEXT    NOT NULL PRIMARY KEY,
    run_id      TEXT    NOT NULL,
    stream      TEXT    NOT NULL,
    asset       TEXT    NOT NULL,
    side        TEXT    NOT NULL,
    size_e8     INTEGER NOT NULL,
    leverage    INTEGER NOT NULL,
    reduce_only INTEGER NOT NULL,
    status      TEXT    NOT NULL,        -- accepted, filled
    ts          INTEGER NOT NULL,
    sequence    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE fill (
    sequence        INTEGER NOT NULL PRIMARY KEY,
    order_id        TEXT    NOT NULL,
    clone_id        TEXT    NOT NULL,
    competition_id  TEXT    NOT NULL,
    asset           TEXT    NOT NULL,
    side            TEXT    NOT NULL,
    cause           TEXT,
    size_e8         INTEGER NOT NULL,
    price_e8        INTEGER NOT NULL,
    notional_e6     INTEGER,
    fee_e6          INTEGER NOT NULL,
    mid_e8          INTEGER,
    mid_sequence    INTEGER,
    spread_bp       INTEGER,
    spread_sequence INTEGER,
    fill_policy     INTEGER NOT NULL,
    ts              INTEGER NOT NULL
);

CREATE TABLE account (
    clone_id           TEXT    NOT NULL,
    competition_id     TEXT    NOT NULL,
    starting_equity_e6 INTEGER NOT NULL,
    cash_e6            INTEGER NOT NULL,
    realized_e6        INTEGER NOT NULL,
    fees_e6            INTEGER NOT NULL,
    funding_e6         INTEGER NOT NULL,
    margin_used_e6     INTEGER NOT NULL,
    fills              INTEGER NOT NULL,
    funding_payments   INTEGER NOT NULL,
    liquidations       INTEGER NOT NULL,
    updated_ms         INTEGER NOT NULL,
    -- The last hourly mark (runtime.account_marked); NULL until the first.
    equity_e6          INTEGER,
    unrealized_e6      INTEGER,
    free_margin_e6     INTEGER,
    peak_equity_e6     INTEGER,
    max_drawdown_bp    INTEGER,
    return_bp          INTEGER,
    marked_ms          INTEGER,
    PRIMARY KEY (clone_id, competition_id)
) WITHOUT ROWID;

CREATE TABLE position (
    clone_id       TEXT    NOT NULL,
    competition_id TEXT    NOT NULL,
    asset          TEXT    NOT NULL,
    size_e8        INTEGER NOT NULL,     -- long > 0
    entry_px_e8    INTEGER NOT NULL,
    leverage       INTEGER NOT NULL,
    PRIMARY KEY (clone_id, competition_id, asset)
) WITHOUT ROWID;
