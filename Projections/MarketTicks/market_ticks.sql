-- Market memory, first piece: the latest tick per symbol and 1-minute OHLC candles built from
-- ticks. Prices, funding and open interest are the events' fixed-point integers (scale in the
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

CREATE TABLE candle_1m (
    symbol    TEXT    NOT NULL,
    minute_ts INTEGER NOT NULL,         -- start of the minute, ms
    open_e8   INTEGER NOT NULL,
    high_e8   INTEGER NOT NULL,
    low_e8    INTEGER NOT NULL,
    close_e8  INTEGER NOT NULL,
    ticks     INTEGER NOT NULL,
    PRIMARY KEY (symbol, minute_ts)
) WITHOUT ROWID;
