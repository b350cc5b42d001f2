#!/usr/bin/env python3
"""The peer benchmark on PostgreSQL: Python `eventsourcing` 9.5.6 with its PostgreSQL store
(psycopg 3), on the very tick events that `clash bench log --store` measures (read from the JSON
Lines file `clash bench ticks` writes), against the same server.

Prints one JSON line per measurement:
  append  - --writers processes, each with its own application (its own connections) and its own
            Market aggregate per symbol, take every --writers-th tick; each saves the aggregates
            its last --batch ticks changed with one Application.save(): one transaction, which the library
            serialises with a table lock to keep its notification ids in commit order. The clock
            runs from the moment every writer is connected and set up until the last one is done.
  replay  - a fresh application reads the notification log from the start in pages of --page and
            maps each notification to its domain event (read and decode).

Every run starts in an empty schema (--schema, dropped and created).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import time
from urllib.parse import urlparse
from uuid import NAMESPACE_URL, uuid5

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from peer_eventsourcing import load_ticks


class Market(Aggregate):
    """One aggregate per symbol and writer."""

    @staticmethod
    def create_id(writer: int, symbol: str):
        return uuid5(NAMESPACE_URL, f"/markets/{writer}/{symbol}")

    @event("Registered")
    def __init__(self, writer: int, symbol: str) -> None:
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


def environment(url: str, schema: str) -> dict:
    u = urlparse(url)
    return {"PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": u.path.lstrip("/"),
            "POSTGRES_HOST": u.hostname, "POSTGRES_PORT": str(u.port or 5432), "POSTGRES_USER": u.username,
            "POSTGRES_PASSWORD": u.password or "", "POSTGRES_SCHEMA": schema}


def emit(record: dict) -> None:
    record["peer"] = "eventsourcing 9.5.6 (postgres, psycopg " + psycopg.__version__ + ")"
    print(json.dumps(record, sort_keys=True), flush=True)


def writer(index: int, env: dict, ticks: list, batch: int, ready, done) -> None:
    app = Markets(env=env)
    markets = {symbol: Market(index, symbol) for symbol in sorted({t[0] for t in ticks})}
    app.save(*markets.values())
    ready.wait()
    for offset in range(0, len(ticks), batch):
        touched = {}
        for symbol, mid, ts, funding, oi in ticks[offset:offset + batch]:
            market = markets[symbol]
            market.tick(mid, ts, funding, oi)
            touched[symbol] = market
        app.save(*touched.values())
    done.put((index, len(markets), sum(m.ticks for m in markets.values())))
    app.close()


def append(env: dict, ticks: list, batch: int, writers: int) -> int:
    ready = multiprocessing.Barrier(writers + 1)
    done = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=writer, args=(k, env, ticks[k::writers], batch, ready, done))
                 for k in range(writers)]
    for p in processes:
        p.start()
    ready.wait()
    start = time.perf_counter()
    reports = [done.get() for _ in processes]
    seconds = time.perf_counter() - start
    for p in processes:
        p.join()
        if p.exitcode != 0:
            raise SystemExit(f"writer exited with {p.exitcode}")
    assert sum(r[2] for r in reports) == len(ticks), reports
    emit({"bench": "append", "events": len(ticks), "batch": batch, "writers": writers, "seconds": round(seconds, 3),
          "events_per_second": round(len(ticks) / seconds)})
    return sum(r[1] for r in reports) + len(ticks)


def replay(env: dict, page: int, stored: int) -> None:
    app = Markets(env=env)
    to_event = app.mapper.to_domain_event
    processed = 0
    ticks = 0
    next_id = 1
    start = time.perf_counter()
    while True:
        notifications = app.notification_log.select(start=next_id, limit=page)
        if not notifications:
            break
        for notification in notifications:
            if type(to_event(notification)) is Market.Ticked:
                ticks += 1
        processed += len(notifications)
        next_id = notifications[-1].id + 1
    seconds = time.perf_counter() - start
    app.close()
    emit({"bench": "replay", "events": processed, "page": page, "seconds": round(seconds, 3),
          "events_per_second": round(processed / seconds), "check": "ok" if processed == stored else "MISMATCH"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="postgres://USER@HOST:PORT/DB")
    parser.add_argument("--ticks", required=True, help="JSON Lines of tick payloads (clash bench ticks)")
    parser.add_argument("--events", type=int, default=100_000, help="how many of the ticks to append")
    parser.add_argument("--batch", type=int, default=100, help="ticks per Application.save()")
    parser.add_argument("--writers", type=int, default=1, help="writer processes")
    parser.add_argument("--schema", default="peer_bench", help="schema to recreate and use")
    parser.add_argument("--replay", action="store_true", help="replay the log afterwards")
    parser.add_argument("--page", type=int, default=10_000)
    args = parser.parse_args()
    with psycopg.connect(args.url, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {args.schema} CASCADE")
        connection.execute(f"CREATE SCHEMA {args.schema}")
    env = environment(args.url, args.schema)
    Markets(env=env).close()  # creates the tables before the writers start
    env["CREATE_TABLE"] = "no"
    ticks = load_ticks(args.ticks)[:args.events]
    stored = append(env, ticks, args.batch, args.writers)
    if args.replay:
        replay(env, args.page, stored)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()
