-- Market memory from ticks (simulated markets and recorded tick streams): the latest tick per
-- symbol, OHLC candles at 1m, 5m, 15m, 1h and 4h, and the last funding and open interest of each
-- hour. Prices, funding and open interest are the events' fixed-point integers (scale in the
-- column name); times are milliseconds.
CREATE TABLE latest_tick (
    symbol           TEXT    NOT NULL PRIMARY KEY,
    mid_e8           INTEGER NOT NULL,
    funding_e8       INTEGER NOT NULL,
    open_interest_e2 INTEGER NOT NULL,
    ts               INTEGER NOT NULL,
    sequence         INTEGER NOT NULL,  -- log sequence of the tick
    ticks            INTEGER NOT NULL   -- ticks seen for the symbol
) WITHOUT ROWID;

-- A candle's open is its first tick in log order, its close the last.
CREATE TABLE candle (
    symbol    TEXT    NOT NULL,
    interval  TEXT    NOT NULL,         -- 1m, 5m, 15m, 1h, 4h
    open_ms   INTEGER NOT NULL,         -- start of the interval
    open_e8   INTEGER NOT NULL,
    high_e8   INTEGER NOT NULL,
    low_e8    INTEGER NOT NULL,
    close_e8  INTEGER NOT NULL,
    ticks     INTEGER NOT NULL,
    PRIMARY KEY (symbol, interval, open_ms)
) WITHOUT ROWID;

-- Funding pressure and positioning: the last tick of each hour.
CREATE TABLE tick_hour (
    symbol           TEXT    NOT NULL,
    hour_ms          INTEGER NOT NULL,
    funding_e8       INTEGER NOT NULL,
    open_interest_e2 INTEGER NOT NULL,
    PRIMARY KEY (symbol, hour_ms)
) WITHOUT ROWID;
