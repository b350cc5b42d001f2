-- Market memory from the sources' events (Hyperliquid first): the latest known state per asset,
-- as the context packets read it. Fixed-point integers; the scale is in the column name.
CREATE TABLE asset (
    dex           TEXT    NOT NULL,
    symbol        TEXT    NOT NULL,
    kind          TEXT    NOT NULL,          -- perp or spot
    quote         TEXT    NOT NULL,
    size_decimals INTEGER NOT NULL,
    max_leverage  INTEGER NOT NULL,
    only_isolated INTEGER NOT NULL,
    delisted      INTEGER NOT NULL,          -- kept and marked, never deleted
    sequence      INTEGER NOT NULL,
    PRIMARY KEY (dex, symbol)
) WITHOUT ROWID;

CREATE TABLE asset_context (
    dex                    TEXT    NOT NULL,
    symbol                 TEXT    NOT NULL,
    mark_px_e8             INTEGER NOT NULL,
    oracle_px_e8           INTEGER NOT NULL,
    mid_px_e8              INTEGER,
    prev_day_px_e8         INTEGER NOT NULL,
    funding_e12            INTEGER NOT NULL,
    premium_e12            INTEGER,
    open_interest_e8       INTEGER NOT NULL,
    day_notional_volume_e2 INTEGER NOT NULL,
    impact_bid_px_e8       INTEGER,
    impact_ask_px_e8       INTEGER,
    ts                     INTEGER NOT NULL,
    sequence               INTEGER NOT NULL,
    PRIMARY KEY (dex, symbol)
) WITHOUT ROWID;

CREATE TABLE mid (
    dex      TEXT    NOT NULL,
    symbol   TEXT    NOT NULL,
    mid_e8   INTEGER NOT NULL,
    ts       INTEGER NOT NULL,
    sequence INTEGER NOT NULL,
    PRIMARY KEY (dex, symbol)
) WITHOUT ROWID;

CREATE TABLE book (
    symbol       TEXT    NOT NULL PRIMARY KEY,
    best_bid_e8  INTEGER NOT NULL,
    best_ask_e8  INTEGER NOT NULL,
    spread_bp    INTEGER NOT NULL,
    bid_depth_e2 INTEGER NOT NULL,
    ask_depth_e2 INTEGER NOT NULL,
    ts           INTEGER NOT NULL,
    sequence     INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE funding (
    symbol      TEXT    NOT NULL,
    time_ms     INTEGER NOT NULL,
    funding_e12 INTEGER NOT NULL,
    premium_e12 INTEGER NOT NULL,
    PRIMARY KEY (symbol, time_ms)
) WITHOUT ROWID;

CREATE TABLE candle (
    symbol    TEXT    NOT NULL,
    interval  TEXT    NOT NULL,
    open_ms   INTEGER NOT NULL,
    open_e8   INTEGER NOT NULL,
    high_e8   INTEGER NOT NULL,
    low_e8    INTEGER NOT NULL,
    close_e8  INTEGER NOT NULL,
    volume_e8 INTEGER NOT NULL,
    trades    INTEGER NOT NULL,
    PRIMARY KEY (symbol, interval, open_ms)
) WITHOUT ROWID;
