#!/usr/bin/env python3
"""Prints the comparison table from the JSON lines tools/bench/run collected."""
import json
import sys
from collections import defaultdict

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
by = defaultdict(list)
for r in rows:
    by[(r["tool"], r.get("bench", "log"), r["events"] if r["tool"] != "peer" or r.get("bench") != "disk" else None)].append(r)


def values(tool, bench, key):
    return [r[key] for r in rows if r["tool"] == tool and r.get("bench", "log") == bench and key in r]


def span(xs, fmt="{:,.0f}"):
    if not xs:
        return "n/a"
    lo, hi = min(xs), max(xs)
    return fmt.format(lo) if lo == hi else f"{fmt.format(lo)}–{fmt.format(hi)}"


def ratio(a, b):
    if not a or not b:
        return "n/a"
    return f"{min(a) / max(b):.1f}×–{max(a) / min(b):.1f}×" if len(a) + len(b) > 2 else f"{a[0] / b[0]:.1f}×"


events = sorted({r["events"] for r in rows if r["tool"] == "clash" and r.get("bench", "log") == "log"})
print(f"\nEvents: {', '.join(f'{e:,}' for e in events)}; runs: {len(values('clash', 'log', 'events'))}\n")
print("| metric | clash | peer (eventsourcing 9.5.6, SQLite) | clash / peer | lz4 tool |")
print("|---|---|---|---|---|")
clash_append = values("clash", "log", "append_events_per_second")
peer_append = values("peer", "append", "events_per_second")
print(f"| durable append, events/s | {span(clash_append)} | {span(peer_append)} | {ratio(clash_append, peer_append)} | compress {span(values('lz4', 'lz4', 'compress_events_per_second'))} |")
clash_read = values("clash", "log", "read_decode_events_per_second")
peer_read = values("peer", "replay", "events_per_second")
print(f"| read + decode, events/s | {span(clash_read)} | | | decompress {span(values('lz4', 'lz4', 'decompress_events_per_second'))} |")
clash_replay = values("clash", "replay", "events_per_second")
print(f"| replay into read models (peer: latest tick, 1-minute candles; clash: the same, candles at 5 intervals, hourly funding and open interest), events/s | {span(clash_replay)} | {span(peer_read)} | {ratio(clash_replay, peer_read)} | |")
print(f"| verify (CRC, chain, records), events/s | {span(values('clash', 'log', 'verify_events_per_second'))} | n/a | | |")
clash_bytes = values("clash", "log", "bytes_per_event")
peer_bytes = values("peer", "disk", "bytes_per_event")
print(f"| bytes per event on disk | {span(clash_bytes, '{:.1f}')} | {span(peer_bytes, '{:.1f}')} | {ratio(peer_bytes, clash_bytes)} smaller | {span(values('lz4', 'lz4', 'compressed_bytes_per_event'), '{:.1f}')} |")
print(f"| open the log (writer), s | {span(values('clash', 'log', 'open_seconds'), '{:.3f}')} | | | |")
print(f"| open without checkpoint (full scan), s | {span(values('clash', 'log', 'open_full_scan_seconds'), '{:.3f}')} | | | |")

ingest = [r for r in rows if r["tool"] == "clash" and r.get("bench") == "ingest"]
if ingest:
    first = ingest[0]
    print(f"\nMarket ingestion (clash only): {first['days']} days x {first['assets']} assets x 1 minute, {first['events']:,} events\n")
    print("| metric | clash | target |")
    print("|---|---|---|")
    print(f"| generated, logged (batch fsync) and projected into market memory, s | {span([r['seconds'] for r in ingest], '{:.2f}')} | < 10 |")
    print(f"| the same, events/s | {span([r['events_per_second'] for r in ingest])} | |")
    print(f"| of which generated and logged, s | {span([r['logged_seconds'] for r in ingest], '{:.2f}')} | |")
    recorded = [r["recorded"] for r in ingest if "recorded" in r]
    if recorded:
        print(f"| recorded responses ({recorded[0]['responses']} files) normalized, logged and projected, MB/s | {span([r['bytes_per_second'] / 1e6 for r in recorded], '{:.1f}')} | |")
        print(f"| the same, read-model rows/s | {span([r['rows_per_second'] for r in recorded])} | |")
