#!/usr/bin/env python3
"""The peer benchmark: Python `eventsourcing` 9.5.6 with its SQLite store, on the very tick events
that `clash bench log` measures (read from the JSON Lines file `clash bench ticks` writes).

Prints one JSON line per measurement:
  append  - one Market aggregate per symbol; every tick is a `Ticked` event; all pending events are
            saved with Application.save() every --batch ticks (one SQLite transaction, WAL,
            synchronous=FULL: one fsync per save, the library's defaults). The tick list is read
            before the clock starts.
  replay  - a fresh application reads the notification log in pages of --page, maps each
            notification to its domain event, and folds the ticks into a SQLite read model
            (latest tick per symbol, 1-minute OHLC candles), one transaction per page holding the
            rows and the position read.
  disk    - bytes of the event store (file, -wal, -shm) per stored event.
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import time
from uuid import NAMESPACE_URL, uuid5

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event


class Market(Aggregate):
    """One aggregate per symbol."""

    @staticmethod
    def create_id(symbol: str):
        return uuid5(NAMESPACE_URL, f"/markets/{symbol}")

    @event("Registered")
    def __init__(self, symbol: str) -> None:
        self.symbol = symbol
        self.ticks = 0
        self.mid_e8 = None

    @event("Ticked")
    def tick(self, mid_e8: int, ts: int, funding_e8: int, open_interest_e2: int) -> None:
        self.mid_e8 = mid_e8
        self.ts = ts
        self.ticks += 1


class Markets(Application):
    log_section_size = 10_000


def remove_store(path: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def store_bytes(path: str) -> int:
    return sum(os.path.getsize(path + s) for s in ("", "-wal", "-shm") if os.path.exists(path + s))


def emit(record: dict) -> None:
    record["peer"] = "eventsourcing 9.5.6 (sqlite)"
    print(json.dumps(record, sort_keys=True), flush=True)


def load_ticks(path: str) -> list[tuple[str, int, int, int, int]]:
    ticks = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            t = json.loads(line)
            ticks.append((t["symbol"], t["mid_e8"], t["ts"], t["funding_e8"], t["open_interest_e2"]))
    return ticks


def append(db: str, ticks: list, batch: int) -> dict:
    app = Markets(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": db})
    markets = {symbol: Market(symbol) for symbol in sorted({t[0] for t in ticks})}
    app.save(*markets.values())
    aggregates = list(markets.values())
    start = time.perf_counter()
    for offset in range(0, len(ticks), batch):
        for symbol, mid, ts, funding, oi in ticks[offset:offset + batch]:
            markets[symbol].tick(mid, ts, funding, oi)
        app.save(*aggregates)
    seconds = time.perf_counter() - start
    state = {s: (m.mid_e8, m.ts, m.ticks) for s, m in markets.items()}
    stored = app.recorder.max_notification_id()
    app.close()
    emit({"bench": "append", "events": len(ticks), "batch": batch, "seconds": round(seconds, 3),
          "events_per_second": round(len(ticks) / seconds)})
    return {"state": state, "stored": stored}


def replay(db: str, view_db: str, page: int, expected: dict) -> None:
    app = Markets(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": db})
    remove_store(view_db)
    view = sqlite3.connect(view_db, isolation_level=None)
    view.executescript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
        "CREATE TABLE latest_tick(symbol TEXT PRIMARY KEY, mid_e8 INTEGER, ts INTEGER, ticks INTEGER);"
        "CREATE TABLE candle_1m(symbol TEXT, minute_ts INTEGER, open INTEGER, high INTEGER, low INTEGER,"
        " close INTEGER, ticks INTEGER, PRIMARY KEY (symbol, minute_ts));"
        "CREATE TABLE position(name TEXT PRIMARY KEY, notification_id INTEGER);")
    upsert_latest = ("INSERT INTO latest_tick VALUES (?,?,?,1) ON CONFLICT(symbol) DO UPDATE SET "
                     "mid_e8=excluded.mid_e8, ts=excluded.ts, ticks=latest_tick.ticks+1")
    upsert_candle = ("INSERT INTO candle_1m VALUES (?,?,?,?,?,?,1) ON CONFLICT(symbol, minute_ts) DO UPDATE SET "
                     "high=max(high, excluded.high), low=min(low, excluded.low), close=excluded.close, "
                     "ticks=candle_1m.ticks+1")
    to_event = app.mapper.to_domain_event
    ticked = Market.Ticked
    processed = 0
    next_id = 1
    start = time.perf_counter()
    while True:
        notifications = app.notification_log.select(start=next_id, limit=page)
        if not notifications:
            break
        latest, candles = [], []
        for notification in notifications:
            e = to_event(notification)
            if type(e) is ticked:
                symbol = markets_symbol(e)
                latest.append((symbol, e.mid_e8, e.ts))
                candles.append((symbol, e.ts - e.ts % 60_000, e.mid_e8, e.mid_e8, e.mid_e8, e.mid_e8))
        view.execute("BEGIN")
        view.executemany(upsert_latest, latest)
        view.executemany(upsert_candle, candles)
        view.execute("INSERT OR REPLACE INTO position VALUES ('ticks', ?)", (notifications[-1].id,))
        view.execute("COMMIT")
        processed += len(notifications)
        next_id = notifications[-1].id + 1
    seconds = time.perf_counter() - start
    rows = {r[0]: (r[1], r[2], r[3]) for r in view.execute("SELECT symbol, mid_e8, ts, ticks FROM latest_tick")}
    view.close()
    app.close()
    emit({"bench": "replay", "events": processed, "page": page, "seconds": round(seconds, 3),
          "events_per_second": round(processed / seconds), "check": "ok" if rows == expected else "MISMATCH"})


SYMBOL_BY_ID: dict = {}


def markets_symbol(e) -> str:
    return SYMBOL_BY_ID[e.originator_id]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ticks", required=True, help="JSON Lines of tick payloads (clash bench ticks)")
    parser.add_argument("--db", required=True, help="event store file (recreated)")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--page", type=int, default=10_000)
    args = parser.parse_args()
    ticks = load_ticks(args.ticks)
    for symbol in {t[0] for t in ticks}:
        SYMBOL_BY_ID[Market.create_id(symbol)] = symbol
    remove_store(args.db)
    appended = append(args.db, ticks, args.batch)
    replay(args.db, args.db + ".view", args.page, appended["state"])
    emit({"bench": "disk", "events": appended["stored"], "bytes": store_bytes(args.db),
          "bytes_per_event": round(store_bytes(args.db) / appended["stored"], 1)})


if __name__ == "__main__":
    main()
