-- Market memory from ticks (simulated markets and recorded tick streams): the latest tick per
-- symbol, OHLC candles at 1m, 5m, 15m, 1h and 4h, and the last funding and open interest of each
-- hour. Prices, funding and open interest are the events' fixed-point integers (scale in the
-- column name); times are milliseconds.
--
-- The history tables are keyed by time first and a small symbol number, so that a fold appends
-- at the end of each table (the cheapest insert SQLite has); the `candle` view gives them back
-- with symbol names.
CREATE TABLE symbol (
    id     INTEGER NOT NULL PRIMARY KEY,    -- in order of first appearance in the log
    symbol TEXT    NOT NULL UNIQUE
);

CREATE TABLE latest_tick (
    symbol           TEXT    NOT NULL PRIMARY KEY,
    mid_e8           INTEGER NOT NULL,
    funding_e8       INTEGER NOT NULL,
    open_interest_e2 INTEGER NOT NULL,
    ts               INTEGER NOT NULL,
    sequence         INTEGER NOT NULL,  -- log sequence of the tick
    ticks            INTEGER NOT NULL   -- ticks seen for the symbol
) WITHOUT ROWID;

-- One table per interval. A candle's open is its first tick in log order, its close the last.
CREATE TABLE candle_1m (
    open_ms   INTEGER NOT NULL,         -- start of the interval
    symbol_id INTEGER NOT NULL REFERENCES symbol (id),
    open_e8   INTEGER NOT NULL,
    high_e8   INTEGER NOT NULL,
    low_e8    INTEGER NOT NULL,
    close_e8  INTEGER NOT NULL,
    ticks     INTEGER NOT NULL,
    PRIMARY KEY (open_ms, symbol_id)
) WITHOUT ROWID;
CREATE TABLE candle_5m (open_ms INTEGER NOT NULL, symbol_id INTEGER NOT NULL REFERENCES symbol (id), open_e8 INTEGER NOT NULL,
    high_e8 INTEGER NOT NULL, low_e8 INTEGER NOT NULL, close_e8 INTEGER NOT NULL, ticks INTEGER NOT NULL,
    PRIMARY KEY (open_ms, symbol_id)) WITHOUT ROWID;
CREATE TABLE candle_15m (open_ms INTEGER NOT NULL, symbol_id INTEGER NOT NULL REFERENCES symbol (id), open_e8 INTEGER NOT NULL,
    high_e8 INTEGER NOT NULL, low_e8 INTEGER NOT NULL, close_e8 INTEGER NOT NULL, ticks INTEGER NOT NULL,
    PRIMARY KEY (open_ms, symbol_id)) WITHOUT ROWID;
CREATE TABLE candle_1h (open_ms INTEGER NOT NULL, symbol_id INTEGER NOT NULL REFERENCES symbol (id), open_e8 INTEGER NOT NULL,
    high_e8 INTEGER NOT NULL, low_e8 INTEGER NOT NULL, close_e8 INTEGER NOT NULL, ticks INTEGER NOT NULL,
    PRIMARY KEY (open_ms, symbol_id)) WITHOUT ROWID;
CREATE TABLE candle_4h (open_ms INTEGER NOT NULL, symbol_id INTEGER NOT NULL REFERENCES symbol (id), open_e8 INTEGER NOT NULL,
    high_e8 INTEGER NOT NULL, low_e8 INTEGER NOT NULL, close_e8 INTEGER NOT NULL, ticks INTEGER NOT NULL,
    PRIMARY KEY (open_ms, symbol_id)) WITHOUT ROWID;

-- Funding pressure and positioning: the last tick of each hour.
CREATE TABLE tick_hour (
    hour_ms          INTEGER NOT NULL,
    symbol_id        INTEGER NOT NULL REFERENCES symbol (id),
    funding_e8       INTEGER NOT NULL,
    open_interest_e2 INTEGER NOT NULL,
    PRIMARY KEY (hour_ms, symbol_id)
) WITHOUT ROWID;

CREATE VIEW candle (symbol, interval, open_ms, open_e8, high_e8, low_e8, close_e8, ticks) AS
    SELECT s.symbol, '1m', c.open_ms, c.open_e8, c.high_e8, c.low_e8, c.close_e8, c.ticks FROM candle_1m AS c JOIN symbol AS s ON s.id = c.symbol_id
    UNION ALL SELECT s.symbol, '5m', c.open_ms, c.open_e8, c.high_e8, c.low_e8, c.close_e8, c.ticks FROM candle_5m AS c JOIN symbol AS s ON s.id = c.symbol_id
    UNION ALL SELECT s.symbol, '15m', c.open_ms, c.open_e8, c.high_e8, c.low_e8, c.close_e8, c.ticks FROM candle_15m AS c JOIN symbol AS s ON s.id = c.symbol_id
    UNION ALL SELECT s.symbol, '1h', c.open_ms, c.open_e8, c.high_e8, c.low_e8, c.close_e8, c.ticks FROM candle_1h AS c JOIN symbol AS s ON s.id = c.symbol_id
    UNION ALL SELECT s.symbol, '4h', c.open_ms, c.open_e8, c.high_e8, c.low_e8, c.close_e8, c.ticks FROM candle_4h AS c JOIN symbol AS s ON s.id = c.symbol_id;
