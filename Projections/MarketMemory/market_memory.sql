-- Market memory from the sources' events: Hyperliquid (universe, contexts, mids, books, funding,
-- exchange candles, categories), Polymarket markets and DefiLlama macro figures. The latest known
-- state per subject, plus the hourly history the profiles need. Fixed-point integers; the scale
-- is in the column name; times are milliseconds.

-- Hyperliquid ---------------------------------------------------------------------------------

-- Perps per dex ('' is the default dex) and spot pairs (dex 'spot'). An asset a newer universe no
-- longer lists is kept and marked delisted.
CREATE TABLE asset (
    dex           TEXT    NOT NULL,
    symbol        TEXT    NOT NULL,
    kind          TEXT    NOT NULL,          -- perp or spot
    quote         TEXT    NOT NULL,
    size_decimals INTEGER NOT NULL,
    max_leverage  INTEGER NOT NULL,
    only_isolated INTEGER NOT NULL,
    delisted      INTEGER NOT NULL,
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
    funding_e12            INTEGER NOT NULL,   -- per hour
    premium_e12            INTEGER,
    open_interest_e8       INTEGER NOT NULL,   -- in coins
    day_notional_volume_e2 INTEGER NOT NULL,
    impact_bid_px_e8       INTEGER,
    impact_ask_px_e8       INTEGER,
    ts                     INTEGER NOT NULL,
    sequence               INTEGER NOT NULL,
    PRIMARY KEY (dex, symbol)
) WITHOUT ROWID;

-- The last context of each hour: funding pressure and positioning over time.
CREATE TABLE context_hour (
    symbol           TEXT    NOT NULL,
    hour_ms          INTEGER NOT NULL,
    mark_px_e8       INTEGER NOT NULL,
    funding_e12      INTEGER NOT NULL,
    premium_e12      INTEGER,
    open_interest_e8 INTEGER NOT NULL,
    PRIMARY KEY (symbol, hour_ms)
) WITHOUT ROWID;

CREATE TABLE spot_context (
    symbol                 TEXT    NOT NULL PRIMARY KEY,   -- BASE/QUOTE
    coin                   TEXT    NOT NULL,               -- the exchange's name (PURR/USDC, @107)
    mark_px_e8             INTEGER NOT NULL,
    mid_px_e8              INTEGER,
    prev_day_px_e8         INTEGER NOT NULL,
    day_notional_volume_e2 INTEGER NOT NULL,
    ts                     INTEGER NOT NULL,
    sequence               INTEGER NOT NULL
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

CREATE TABLE exchange_candle (
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

-- Categories: the project's mapping (source 'mapping') and the exchange's perpCategories
-- (source 'exchange', its word kept; path NULL for a word outside the product's categories).
-- A newer event of a source replaces that source's rows.
CREATE TABLE category (
    symbol          TEXT    NOT NULL,
    source          TEXT    NOT NULL,
    word            TEXT    NOT NULL,
    path            TEXT,
    mapping_version INTEGER NOT NULL,
    PRIMARY KEY (symbol, source, word)
) WITHOUT ROWID;

-- Polymarket ----------------------------------------------------------------------------------

CREATE TABLE polymarket_market (
    market_id         TEXT    NOT NULL PRIMARY KEY,
    slug              TEXT    NOT NULL,
    question          TEXT    NOT NULL,
    end_ms            INTEGER,
    active            INTEGER NOT NULL,
    closed            INTEGER NOT NULL,
    outcomes          TEXT    NOT NULL,   -- JSON array of names
    outcome_prices_e6 TEXT    NOT NULL,   -- JSON array of integers, in outcome order
    volume_e2         INTEGER NOT NULL,
    liquidity_e2      INTEGER NOT NULL,
    first_seen_ms     INTEGER NOT NULL,
    closed_seen_ms    INTEGER,            -- when a listing first showed it closed
    ts                INTEGER NOT NULL,
    sequence          INTEGER NOT NULL
) WITHOUT ROWID;

-- DefiLlama -----------------------------------------------------------------------------------

-- TVL points per chain ('All' is the whole of DeFi): daily history and listed values.
CREATE TABLE chain_tvl (
    chain   TEXT    NOT NULL,
    date_ms INTEGER NOT NULL,
    tvl_e2  INTEGER NOT NULL,
    PRIMARY KEY (chain, date_ms)
) WITHOUT ROWID;

-- The latest /v2/chains list, with each chain's native token (the asset link).
CREATE TABLE chain (
    chain        TEXT    NOT NULL PRIMARY KEY,
    token_symbol TEXT,
    tvl_e2       INTEGER NOT NULL,
    ts           INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE protocol (
    slug     TEXT    NOT NULL PRIMARY KEY,
    name     TEXT    NOT NULL,
    category TEXT    NOT NULL,
    chains   TEXT    NOT NULL,   -- JSON array
    tvl_e2   INTEGER NOT NULL,
    ts       INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE stablecoin (
    symbol         TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    peg            TEXT    NOT NULL,
    circulating_e2 INTEGER NOT NULL,
    ts             INTEGER NOT NULL,
    PRIMARY KEY (symbol, name)
) WITHOUT ROWID;

-- Total stablecoin supply (USD-pegged) at each listing: capital flows in and out of stablecoins.
CREATE TABLE stablecoin_supply (
    ts             INTEGER NOT NULL PRIMARY KEY,
    circulating_e2 INTEGER NOT NULL
) WITHOUT ROWID;

-- Fees and DEX volume overviews, per listing; the largest protocols of the latest one.
CREATE TABLE throughput (
    metric       TEXT    NOT NULL,   -- fees or dex_volume
    ts           INTEGER NOT NULL,
    total_24h_e2 INTEGER NOT NULL,
    total_7d_e2  INTEGER,
    PRIMARY KEY (metric, ts)
) WITHOUT ROWID;

CREATE TABLE throughput_protocol (
    metric       TEXT    NOT NULL,
    slug         TEXT    NOT NULL,
    total_24h_e2 INTEGER NOT NULL,
    ts           INTEGER NOT NULL,
    PRIMARY KEY (metric, slug)
) WITHOUT ROWID;
