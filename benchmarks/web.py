"""Load test of the reading room on loopback: search and document pages at 1 and 8 concurrent clients.

    .venv/bin/python benchmarks/web.py --archive /tmp/full.db [--requests 400] [--port 8765] [--workers 1]

Starts `despatch serve` on the archive in a subprocess, then drives it with persistent HTTP/1.1 connections
from client threads. For each page type and concurrency it prints requests/s, p50 and p95 of the latency
the client saw and of the server's own time (its Server-Timing header), and errors. Side by side in the
same run, two baselines: the library call the page is built on, made directly in this process (what the
web layer adds), and a static file from the same server (the HTTP floor).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from despatch.store import open_archive
from despatch.web.searching import SearchParams, run_search

ROOT = Path(__file__).resolve().parent.parent

QUERIES = [
    "soviet", "peace", "disarmament", "nuclear weapons", "the", "united nations", "human rights",
    '"cold war"', '"self-determination"', '"security council"', "apartheid OR colonialism", "israel AND palestine",
    "nato NOT warsaw", "(korea OR vietnam) AND war", "independ*", "econom* develop*", "title:treaty",
    "country:USA", "country:FRA nuclear", "year:1962 cuba", "date:1945..1950 trusteeship",
    "date:>2000 terrorism", "climate change", "hunger famine", '"arms race"~3', "china AND taiwan",
    "person:Khrushchev", "place:Berlin", "org:NATO", "collection:frus telegram", "oil prices", "debt crisis",
    "decolonization", "genocide", "refugees", "=Palestine", "Suez canal", "Congo", "Nicaragua",
    "ambassador instructions",
]


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))
    return xs[k]


def doc_ids(path: str, n: int, seed: int = 7) -> list[str]:
    arch = open_archive(path, readonly=True)
    try:
        total = arch.stats()["documents"]
        rnd = random.Random(seed)
        out = []
        for off in sorted(rnd.sample(range(total), min(n, total))):
            out += [d.id for d in arch.list(limit=1, offset=off)]
        return out
    finally:
        arch.close()


def run_load(port: int, urls: list[str], clients: int, total: int) -> dict[str, float]:
    lat: list[float] = []
    srv: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(total))

    def worker(k: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        rnd = random.Random(k)
        mine_lat, mine_srv, mine_err = [], [], 0
        while True:
            with lock:
                if next(counter, None) is None:
                    break
            url = urls[rnd.randrange(len(urls))]
            t0 = time.perf_counter()
            try:
                conn.request("GET", url)
                r = conn.getresponse()
                r.read()
                dt = time.perf_counter() - t0
                if r.status != 200:
                    mine_err += 1
                    continue
                m = re.search(r"dur=([\d.]+)", r.getheader("server-timing") or "")
                mine_lat.append(dt * 1000)
                if m:
                    mine_srv.append(float(m.group(1)))
            except (OSError, http.client.HTTPException):
                mine_err += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.close()
        with lock:
            lat.extend(mine_lat)
            srv.extend(mine_srv)
            errors += mine_err

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"rps": len(lat) / wall, "p50": pct(lat, 50), "p95": pct(lat, 95), "srv_p50": pct(srv, 50),
            "srv_p95": pct(srv, 95), "errors": errors, "n": len(lat)}


def library_baseline(path: str, kind: str, items: list[str], total: int) -> dict[str, float]:
    """The library call each page is built on, timed in-process (no HTTP, no HTML)."""
    arch = open_archive(path, readonly=True)
    rnd = random.Random(1)
    lat = []
    try:
        for _ in range(total):
            item = items[rnd.randrange(len(items))]
            t0 = time.perf_counter()
            if kind == "search":
                run_search(arch, SearchParams(q=item))
            else:
                arch.get(item)
                arch.neighbours(item)
            lat.append((time.perf_counter() - t0) * 1000)
    finally:
        arch.close()
    return {"p50": pct(lat, 50), "p95": pct(lat, 95)}


def wait_up(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/static/app.css")
            c.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("the server did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", required=True)
    ap.add_argument("--requests", type=int, default=400, help="requests per page type and concurrency")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--docs", type=int, default=300, help="distinct documents to open")
    ap.add_argument("--workers", type=int, default=1, help="`despatch serve --workers`")
    a = ap.parse_args()

    ids = doc_ids(a.archive, a.docs)
    arch = open_archive(a.archive, readonly=True)
    st = arch.stats()
    arch.close()
    print(f"archive {a.archive}: {st['documents']:,} documents, {st['characters']:,} characters, "
          f"{sum(st['annotations'].values()):,} annotations; {len(QUERIES)} queries, {len(ids)} documents sampled")
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")

    env = dict(os.environ, DESPATCH_ARCHIVE=a.archive)
    proc = subprocess.Popen([str(ROOT / ".venv/bin/despatch"), "serve", "--port", str(a.port),
                             "--workers", str(a.workers)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_up(a.port, proc)
        pages = {
            "search": ["/?" + urllib.parse.urlencode({"q": q}) for q in QUERIES],
            "document": ["/documents/" + urllib.parse.quote(i, safe="/") for i in ids],
            "static (HTTP floor)": ["/static/app.css"],
        }
        # warm up: every URL once (index and page cache, first-use imports)
        run_load(a.port, pages["search"] + pages["document"][:100], 2, len(QUERIES) + 100)
        print()
        print(f"{'page':<20} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'srv p50':>8} "
              f"{'srv p95':>8} {'errors':>6}")
        results: dict[tuple[str, int], dict[str, float]] = {}
        for name, urls in pages.items():
            for clients in (1, 8):
                r = run_load(a.port, urls, clients, a.requests)
                results[(name, clients)] = r
                print(f"{name:<20} {clients:>7} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} "
                      f"{r['srv_p50']:>8.1f} {r['srv_p95']:>8.1f} {r['errors']:>6}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    print()
    print("baseline: the library call alone, in-process, 1 client (no HTTP, no HTML)")
    print(f"{'page':<20} {'lib p50':>8} {'lib p95':>8} {'srv p95':>8} {'ratio p95':>9}")
    for name, kind, items in (("search", "search", QUERIES), ("document", "document", ids)):
        b = library_baseline(a.archive, kind, items, a.requests)
        srv = results[(name, 1)]["srv_p95"]
        print(f"{name:<20} {b['p50']:>8.1f} {b['p95']:>8.1f} {srv:>8.1f} {srv / b['p95']:>8.2f}x")
    floor = results[("static (HTTP floor)", 1)]
    print(f"HTTP floor (static file, 1 client): p50 {floor['p50']:.2f} ms, p95 {floor['p95']:.2f} ms")
    target = max(results[("search", 1)]["srv_p95"], results[("document", 1)]["srv_p95"])
    print(f"target: search and document pages <= 100 ms p95 server-side at 1 client: "
          f"{'met' if target <= 100 else 'NOT met'} ({target:.1f} ms)")


if __name__ == "__main__":
    main()
