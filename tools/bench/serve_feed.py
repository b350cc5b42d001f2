"""The live feed's benchmark: SUBSCRIBERS clients on `GET /v1/events` of a running `clash serve`
(each a raw HTTP/1.1 connection read as Server-Sent Events), a paced writer appending EVENTS market
ticks beside it (`clash bench append --interval-ms`), and for every event and every subscriber
the delay from the moment the writer's append returned (its own CLOCK_MONOTONIC stamp) to the
moment the event's bytes were read here (the same clock). Prints one JSON line. The delay includes
this client's own scheduling (one Python process reads every connection), so it is an upper bound
on the server's."""
import argparse, asyncio, json, subprocess, sys, time, urllib.request


async def subscribe(host, port, start, arrivals, ready, want):
    """One subscriber: reads the stream in chunks and stamps each event id with the time its chunk arrived."""
    reader, writer = await asyncio.open_connection(host, port, limit=1 << 20)
    writer.write(f"GET /v1/events?from={start}&type=market.tick HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    caught_up = False
    buffer = b""
    while len(arrivals) < want:
        chunk = await reader.read(1 << 16)
        if not chunk:
            break
        at = time.monotonic()
        buffer += chunk
        lines = buffer.split(b"\n")
        buffer = lines.pop()
        for line in lines:
            if line.startswith(b"id: "):
                arrivals.append((int(line[4:]), at))
            elif line.startswith(b"event: caught-up") and not caught_up:
                caught_up = True
                ready.release()
    writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--interval-ms", type=int, default=20)
    parser.add_argument("--clash", required=True)
    parser.add_argument("--data", required=True)
    args = parser.parse_args()
    host, port = args.url.split("//")[1].split(":")
    head = json.loads(urllib.request.urlopen(args.url + "/v1/log/root").read())["tree_size"]
    arrivals = [[] for _ in range(args.subscribers)]
    ready = asyncio.Semaphore(0)
    tasks = [asyncio.create_task(subscribe(host, int(port), head + 1, arrivals[i], ready, args.events)) for i in range(args.subscribers)]
    for _ in range(args.subscribers):
        await asyncio.wait_for(ready.acquire(), 60)
    writer = await asyncio.create_subprocess_exec(args.clash, "bench", "append", "--data", args.data, "--events", str(args.events),
                                                  "--chunk", "1", "--interval-ms", str(args.interval_ms), "--seed", "9",
                                                  stdout=asyncio.subprocess.PIPE)
    appended = {}
    while True:
        line = await writer.stdout.readline()
        if not line:
            break
        if line.startswith(b"appended "):
            _, sequence, seconds = line.split()
            appended[int(sequence)] = float(seconds)
    await writer.wait()
    await asyncio.wait_for(asyncio.gather(*tasks), 120)
    delays = sorted((at - appended[seq]) * 1000 for subscriber in arrivals for seq, at in subscriber if seq in appended)
    expected = args.subscribers * args.events
    pick = lambda q: round(delays[min(len(delays) - 1, int(q * len(delays)))], 2) if delays else None
    print(json.dumps({"bench": "serve-feed", "subscribers": args.subscribers, "events": args.events, "deliveries": len(delays),
                      "expected_deliveries": expected, "p50_ms": pick(0.50), "p99_ms": pick(0.99), "max_ms": round(delays[-1], 2) if delays else None}))
    if len(delays) != expected:
        sys.exit(f"serve_feed: {len(delays)} deliveries of {expected}")


asyncio.run(main())
