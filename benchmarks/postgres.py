"""PostgreSQL against SQLite, side by side in one run, on the UN General Debate corpus.

    nice -n 10 .venv/bin/python benchmarks/postgres.py [--workers 2] [--requests 600] [--url postgresql://...]
                                                       [--rounds N] [--steps ingest,two,serve] [--limit N]
                                                       [--reuse DIR]

1. Ingest (`despatch ingest --no-enrich -j N --name-pattern "{country}_{session}_{year}"`) of the whole corpus
   into a new SQLite file and into a new PostgreSQL database: seconds, documents/s, peak RSS of the ingest's
   process tree (the PostgreSQL server's own memory is not the client's and is not counted), the CPU time
   (user and system) of the ingest's processes and, apart, of the throwaway server, and the ratio;
   with `--rounds N`, N alternating rounds and the medians.
2. Two ingest processes at once on one new PostgreSQL database, over the same folder: time, and that every
   file was stored exactly once (documents, ingest records, distinct ids, the change feed).
3. Two `despatch serve` processes on the PostgreSQL archive, each with its own index, and two on the SQLite
   archive of the same ingest (the baseline), driven by 8 and then 32 concurrent clients (persistent HTTP/1.1
   connections, alternating between the two nodes of a backend; the backends taking turns at each level) on
   a mix of searches (3 in 4) and document pages: requests/s, p50 and p95 latency (and p95 of each kind),
   errors, and the CPU time each request cost the serving processes, the PostgreSQL server and the clients.

Without `--url` a throwaway PostgreSQL server is started (tests/pgserver.py: initdb into a temporary folder,
run as the `postgres` user under root) with PostgreSQL's default durability (fsync and synchronous commit on),
as SQLite keeps its own (WAL, synchronous=NORMAL).

`--reuse DIR` keeps the extracted corpus, the PostgreSQL server's folder, the SQLite archive and the serving
nodes' indexes in DIR, and a later run with `--steps serve` serves those archives again instead of ingesting
the corpus anew (minutes); without it everything is made in a temporary folder and removed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from ingest import _measure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
SHARED = ROOT.parent / "shared" / "corpus"
UN_TAR = SHARED / "ungdc" / "ungdc-1946-2024.tar.xz"
DESPATCH = [sys.executable, "-m", "despatch"]
PATTERN = ["--name-pattern", "{country}_{session}_{year}"]

QUERIES = [
    "soviet", "peace", "disarmament", "nuclear weapons", "united nations", "human rights", '"cold war"',
    '"self-determination"', '"security council"', "apartheid OR colonialism", "israel AND palestine",
    "(korea OR vietnam) AND war", "independ*", "country:USA", "country:FRA nuclear", "year:1962 cuba",
    "date:>2000 terrorism", "climate change", "hunger famine", '"arms race"~3', "decolonization", "genocide",
    "refugees", "Suez canal", "Congo", "Nicaragua", "debt crisis", "oil prices",
]


def _env(index_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["DESPATCH_INDEX_DIR"] = str(index_dir)
    env.pop("DESPATCH_ARCHIVE", None)
    return env


def _q(url: str, sql: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return int(conn.execute(sql).fetchone()[0])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(port: int, proc: subprocess.Popen, limit: float = 1800) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"despatch serve on port {port} exited with {proc.returncode}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/api/stats")
            if c.getresponse().status == 200:
                c.close()
                return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"despatch serve on port {port} did not answer")


def _pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))]


def _cpu(pids: list[int]) -> float:
    """CPU seconds (user and system) used so far by these processes and their children."""
    import psutil

    total = 0.0
    for pid in pids:
        try:
            procs = [psutil.Process(pid)]
            procs += procs[0].children(recursive=True)
        except psutil.NoSuchProcess:
            continue
        for p in procs:
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.NoSuchProcess:
                pass
    return total


def _server_cpu(server: object) -> float:
    """CPU seconds of the throwaway server so far: the postmaster, the backends it has reaped (an ingest's
    connections end with it) and those still running; 0 for a server given by --url."""
    import psutil

    total = 0.0
    for pid in _postmaster(server):
        t = psutil.Process(pid).cpu_times()
        total += t.user + t.system + t.children_user + t.children_system
        total += _cpu([c.pid for c in psutil.Process(pid).children()])
    return total


def _children_cpu() -> float:
    """CPU seconds of this process's finished children and theirs (an ingest, its readers and its indexer)."""
    t = os.times()
    return t.children_user + t.children_system


def _postmaster(server: object) -> list[int]:
    """The throwaway server's postmaster (its backends are its children); none for a server given by --url."""
    if server is None:
        return []
    return [int((server.data / "postmaster.pid").read_text().split()[0])]  # type: ignore[attr-defined]


def _load(ports: list[int], clients: int, requests: int, ids: list[str], kinds: list[bool] | None = None
          ) -> tuple[float, list[float], int, int]:
    """Drive the nodes with `clients` threads: (seconds, latencies in s, errors, requests done); `kinds`, when
    given, gets for each latency whether it was a document page."""
    rnd = random.Random(clients)
    paths = []
    for i in range(requests):
        if i % 4 == 3:
            paths.append("/documents/" + urllib.parse.quote(rnd.choice(ids), safe="/"))
        else:
            paths.append("/api/search?" + urllib.parse.urlencode({"q": rnd.choice(QUERIES)}))
    lat: list[float] = []
    errors = 0
    lock = threading.Lock()
    nxt = iter(range(requests))

    def client(n: int) -> None:
        nonlocal errors
        port = ports[n % len(ports)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                i = next(nxt, None)
            if i is None:
                break
            t0 = time.perf_counter()
            try:
                conn.request("GET", paths[i], headers={"Host": "localhost"})
                r = conn.getresponse()
                r.read()
                ok = r.status == 200
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            dt = time.perf_counter() - t0
            with lock:
                lat.append(dt)
                if kinds is not None:
                    kinds.append(i % 4 == 3)
                errors += 0 if ok else 1
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, lat, errors, len(lat)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2, help="ingest reader processes (-j)")
    ap.add_argument("--requests", type=int, default=600, help="requests per concurrency level")
    ap.add_argument("--limit", type=int, default=0, help="only the first N files (a quick check; not a result)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="ingest into each backend N times, alternating, and report the medians (a noisy machine)")
    ap.add_argument("--reuse", type=Path, help="keep the corpus, archives and indexes in this folder, and serve "
                                               "them again on a later run with --steps serve (no new ingest)")
    ap.add_argument("--steps", default="ingest,two,serve", help="which of the three parts to run")
    ap.add_argument("--url", help="an existing PostgreSQL server (postgresql://user@host:port/postgres) "
                                  "allowed to create databases; default: a throwaway one")
    args = ap.parse_args()
    if not UN_TAR.exists():
        sys.exit(f"{UN_TAR} is absent: the benchmark reads the real corpus in ../shared")
    tmp = Path(tempfile.mkdtemp(prefix="despatch-pgbench-"))
    keep = args.reuse.resolve() if args.reuse else None
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
    server = None
    serving: list[subprocess.Popen] = []
    try:
        import psycopg

        if args.url:
            admin = args.url
        else:
            from pgserver import PGServer, pg_bin_dir

            bindir = pg_bin_dir()
            if bindir is None:
                sys.exit("PostgreSQL is not installed (./dev installs Debian's postgresql)")
            server = PGServer(bindir, durable=True, root=keep / "pg" if keep else None).start()
            admin = server.url("postgres")

        def db_url(name: str) -> str:
            return admin.rsplit("/", 1)[0] + "/" + name

        def new_db(name: str) -> str:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
            return admin.rsplit("/", 1)[0] + "/" + name

        src = (keep or tmp) / "ungdc"
        if not (keep and src.exists()):
            with tarfile.open(UN_TAR) as tf:
                tf.extractall(src, filter="data")
        files = sorted(p for p in src.rglob("*.txt") if not p.name.startswith("."))
        if args.limit and keep:
            sys.exit("--limit and --reuse together would keep a part of the corpus as if it were the whole")
        if args.limit:
            for p in files[args.limit:]:
                p.unlink()
            files = files[:args.limit]
        mb = sum(p.stat().st_size for p in files) / 1e6
        print(f"UN General Debate corpus: {len(files)} files, {mb:.1f} MB; ingest -j {args.workers} --no-enrich; "
              f"load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

        # 1. one ingest into each backend, alternating round by round
        steps = set(args.steps.split(","))
        ingest = ["ingest", "-q", "--no-enrich", "-j", str(args.workers), *PATTERN, str(src)]
        t_sqls, t_pgs = [], []
        db, url = (keep or tmp) / "un.db", db_url("bench_one")
        reused = False
        if keep and "ingest" not in steps and db.exists():
            try:
                reused = _q(url, "SELECT count(*) FROM documents WHERE is_current") == len(files)
            except psycopg.Error:
                reused = False
            if reused:
                print(f"serving the archives kept in {keep} (SQLite {db.name}, PostgreSQL database bench_one)")
        for r in range(0 if reused else args.rounds if "ingest" in steps or "serve" in steps else 0):
            for old in db.parent.glob(db.name + "*"):  # a new ingest each round (the last round's is served)
                shutil.rmtree(old) if old.is_dir() else old.unlink()
            c0 = _children_cpu()
            t_sql, rss_sql, rc = _measure([*DESPATCH, "--archive", str(db), *ingest], _env(tmp / f"ix-sqlite{r}"))
            cpu_sql = _children_cpu() - c0
            print(f"SQLite      ingest: {t_sql:8.1f} s  {len(files) / t_sql:6.0f} docs/s  "
                  f"peak RSS {rss_sql / 2**20:5.0f} MB  CPU {cpu_sql:6.1f} s" + ("" if rc == 0 else f"  EXIT {rc}"))
            url = new_db("bench_one")
            c0, s0 = _children_cpu(), _server_cpu(server)
            t_pg, rss_pg, rc = _measure([*DESPATCH, "--archive", url, *ingest], _env(tmp / f"ix-pg{r}"))
            cpu_pg, cpu_srv = _children_cpu() - c0, _server_cpu(server) - s0
            print(f"PostgreSQL  ingest: {t_pg:8.1f} s  {len(files) / t_pg:6.0f} docs/s  "
                  f"peak RSS {rss_pg / 2**20:5.0f} MB  CPU {cpu_pg:6.1f} s + server {cpu_srv:.1f} s"
                  + ("" if rc == 0 else f"  EXIT {rc}"))
            t_sqls.append(t_sql)
            t_pgs.append(t_pg)
            docs = _q(url, "SELECT count(*) FROM documents WHERE is_current")
            print(f"  ratio PostgreSQL / SQLite: {t_pg / t_sql:.2f}x (target <= 1.5); documents {docs}; "
                  f"load average now {os.getloadavg()[0]:.1f}")
        if len(t_pgs) > 1:
            m_sql, m_pg = statistics.median(t_sqls), statistics.median(t_pgs)
            print(f"medians of {len(t_pgs)} rounds: SQLite {m_sql:.1f} s, PostgreSQL {m_pg:.1f} s, "
                  f"ratio {m_pg / m_sql:.2f}x; "
                  f"per-round ratios {', '.join(f'{p / q:.2f}' for p, q in zip(t_pgs, t_sqls, strict=True))}")

        # 2. two ingest processes on one archive
        if "two" in steps:
            url2 = new_db("bench_two")
            t0 = time.perf_counter()
            procs = [subprocess.Popen([*DESPATCH, "--archive", url2, *ingest], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, env=_env(tmp / f"ix-two-{i}")) for i in range(2)]
            rcs = [p.wait() for p in procs]
            t_two = time.perf_counter() - t0
            n_docs = _q(url2, "SELECT count(*) FROM documents")
            n_ingests = _q(url2, "SELECT count(*) FROM ingests")
            n_ids = _q(url2, "SELECT count(DISTINCT id) FROM documents WHERE is_current")
            n_log = _q(url2, "SELECT count(*) FROM search_log")
            once = n_docs == n_ingests == n_ids == n_log == len(files)
            print(f"two ingest processes on one PostgreSQL archive: {t_two:.1f} s, exit {rcs}; documents {n_docs}, "
                  f"ingest records {n_ingests}, distinct ids {n_ids}, feed rows {n_log} for {len(files)} files: "
                  f"{'every file exactly once' if once else 'NOT every file once'}")

        # 3. two serving nodes on each backend, 8 and 32 clients
        if "serve" in steps:
            ids = [r[0] for r in psycopg.connect(url).execute(
                "SELECT id FROM documents WHERE is_current ORDER BY random() LIMIT 300").fetchall()]
            nodes: dict[str, list[int]] = {"PostgreSQL": [], "SQLite": []}
            for name, arch in (("PostgreSQL", url), ("SQLite", str(db))):
                for i in range(2):
                    port = _free_port()
                    ixdir = (keep or tmp) / f"node{i}"  # a PostgreSQL node's own index (SQLite's is beside the file)
                    serving.append(subprocess.Popen(
                        [*DESPATCH, "--archive", arch, "serve", "--port", str(port), "--index-dir", str(ixdir)],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(ixdir)))
                    nodes[name].append(port)
            pids = {"PostgreSQL": [p.pid for p in serving[:2]], "SQLite": [p.pid for p in serving[2:]]}
            t0 = time.perf_counter()
            for port, proc in zip(nodes["PostgreSQL"] + nodes["SQLite"], serving, strict=True):
                _wait_http(port, proc)
            print(f"four serve processes up (each PostgreSQL node with its own index) in "
                  f"{time.perf_counter() - t0:.1f} s")
            for name in nodes:
                _load(nodes[name], 4, 80, ids)  # warm-up, not reported
            for clients in (8, 32):
                for name, ports in nodes.items():
                    kinds: list[bool] = []
                    before = (_cpu(pids[name]), _cpu(_postmaster(server)), sum(os.times()[:2]))
                    secs, lat, errors, n = _load(ports, clients, args.requests, ids, kinds)
                    after = (_cpu(pids[name]), _cpu(_postmaster(server)), sum(os.times()[:2]))
                    app, pg, cli = ((b - a) / max(1, n) * 1000 for a, b in zip(before, after, strict=True))
                    search = [t for t, doc in zip(lat, kinds, strict=True) if not doc]
                    pages = [t for t, doc in zip(lat, kinds, strict=True) if doc]
                    print(f"  {name:10s} {clients:2d} clients: {n} requests in {secs:.1f} s ({n / secs:.0f}/s), "
                          f"p50 {_pct(lat, 50) * 1000:.0f} ms, p95 {_pct(lat, 95) * 1000:.0f} ms "
                          f"(searches {_pct(search, 95) * 1000:.0f}, document pages {_pct(pages, 95) * 1000:.0f}), "
                          f"errors {errors}; CPU per request: nodes {app:.1f} ms, PostgreSQL server {pg:.1f} ms, "
                          f"clients {cli:.1f} ms; load average {os.getloadavg()[0]:.1f}")
    finally:
        for p in serving:
            p.terminate()
        for p in serving:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)  # what --reuse keeps is in its own folder


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
