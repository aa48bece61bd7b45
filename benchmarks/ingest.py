"""Ingest throughput: Despatch against a bare SQLite FTS5 bulk insert of the same texts, in one run.

    .venv/bin/python benchmarks/ingest.py [--workers N] [--repeat N] [--skip-enrich-run]

For the full UN General Debate corpus (extracted once to a temporary folder) it prints documents/s,
MB/s and peak RSS for `despatch ingest --no-enrich` (store + original bytes + spans + search index), for
the default ingest with enrichment, and for the baseline — the same files read, decoded and inserted into
one FTS5 table in one transaction — with the ratio of the times. Then the same figures for the FRUS
volumes. Peak RSS is the sum over the ingest's process tree, sampled every 0.2 s.

The machine is shared and noisy (the baseline alone has taken from 7.8 to 12.7 s here), so the baseline
and the no-enrich ingest run `--repeat` times, alternating, and the ratio is that of their medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
UN_TAR = SHARED / "ungdc" / "ungdc-1946-2024.tar.xz"
FRUS = SHARED / "frus"
DESPATCH = [sys.executable, "-m", "despatch"]


def _measure(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """(seconds, peak RSS bytes over the process tree, exit code); `env` as for subprocess (None: this one's)."""
    t0 = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        # Every 0.2 s, the process list every 1 s: listing children walks /proc, and sampling the whole tree
        # 20 times a second took 7% of a core from the ingest it measures (0.7 CPU-s in 10 s; now 0.07).
        nonlocal peak
        procs: list[psutil.Process] = [proc]
        listed = 0.0
        while not stop.is_set():
            try:
                if time.monotonic() - listed >= 1.0:
                    procs, listed = [proc, *proc.children(recursive=True)], time.monotonic()
                peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                procs, listed = [proc], 0.0
            time.sleep(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate()
    dt = time.perf_counter() - t0
    stop.set()
    th.join()
    if proc.returncode:
        sys.stderr.write(err.decode(errors="replace")[-2000:])
    return dt, peak, proc.returncode


def fts5_insert(files: list[Path], db: Path) -> None:
    """Bare FTS5: read, decode, insert every text in one transaction (the baseline; scale.py's too)."""
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE t USING fts5(name, body)")
    with con:
        for f in files:
            con.execute("INSERT INTO t VALUES (?, ?)", (f.name, f.read_bytes().decode("utf-8-sig")))
    con.close()


def _baseline(files: list[Path], db: Path) -> float:
    """The FTS5 baseline's seconds. Runs in this process."""
    t0 = time.perf_counter()
    fts5_insert(files, db)
    return time.perf_counter() - t0


def _row(label: str, docs: int, mb: float, secs: float, rss: int | None) -> str:
    rss_s = f"{rss / 2**20:8.0f} MB" if rss is not None else "       —   "
    return f"{label:44} {secs:8.1f} s {docs / secs:9.0f} docs/s {mb / secs:7.2f} MB/s  peak RSS {rss_s}"


def _count_docs(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM documents WHERE is_current=1").fetchone()[0]
    finally:
        con.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3, help="baseline and no-enrich runs (medians are reported)")
    ap.add_argument("--skip-enrich-run", action="store_true", help="skip the default (enriching) ingest run")
    args = ap.parse_args()
    if not UN_TAR.exists():
        sys.exit(f"{UN_TAR} is absent: the benchmark reads the real corpus in ../shared")
    tmp = Path(tempfile.mkdtemp(prefix="despatch-bench-"))
    try:
        src = tmp / "ungdc"
        with tarfile.open(UN_TAR) as tf:
            tf.extractall(src, filter="data")
        files = sorted(p for p in src.rglob("*.txt") if not p.name.startswith("."))
        mb = sum(p.stat().st_size for p in files) / 1e6
        print(f"UN General Debate corpus: {len(files)} files, {mb:.1f} MB, workers={args.workers}")
        pattern = ["--name-pattern", "{country}_{session}_{year}"]
        base_ts: list[float] = []
        ours: list[tuple[float, int, int]] = []
        for i in range(args.repeat):
            (tmp / "fts5.db").unlink(missing_ok=True)
            base_ts.append(_baseline(files, tmp / "fts5.db"))
            db = tmp / "plain.db"
            for f in tmp.glob("plain.db*"):
                if f.is_dir():
                    shutil.rmtree(f)
                else:
                    f.unlink()
            ours.append(_measure([*DESPATCH, "--archive", str(db), "ingest", "-q", "-j", str(args.workers),
                                  *pattern, "--no-enrich", str(src)]))
            print(f"  run {i + 1}: baseline {base_ts[-1]:.1f} s, despatch --no-enrich {ours[-1][0]:.1f} s"
                  f" ({ours[-1][0] / base_ts[-1]:.2f}x)" + ("" if ours[-1][2] == 0 else f"   EXIT {ours[-1][2]}"))
        base_t = statistics.median(base_ts)
        t = statistics.median(x[0] for x in ours)
        print(_row("bare SQLite FTS5 bulk insert (baseline)", len(files), mb, base_t, None)
              + f"   median of {len(base_ts)}")
        docs = _count_docs(db)
        print(_row("despatch ingest --no-enrich", docs, mb, t, max(x[1] for x in ours))
              + f"   median of {len(ours)}; ratio to baseline {t / base_t:.2f}x")
        print(f"{'':44} archive {db.stat().st_size / 1e6:.0f} MB; documents stored {docs}")
        runs = [("despatch ingest --no-enrich", ["--no-enrich"])]
        if not args.skip_enrich_run:
            runs.append(("despatch ingest (with enrichment)", []))
            db = tmp / "enriched.db"
            t, rss, rc = _measure([*DESPATCH, "--archive", str(db), "ingest", "-q", "-j", str(args.workers),
                                   *pattern, str(src)])
            docs = _count_docs(db)
            print(_row("despatch ingest (with enrichment)", docs, mb, t, rss)
                  + f"   ratio to baseline {t / base_t:.2f}x" + ("" if rc == 0 else f"   EXIT {rc}"))
        if FRUS.exists():
            vols = sorted(FRUS.glob("*.xml"))
            fmb = sum(p.stat().st_size for p in vols) / 1e6
            print(f"\nFRUS: {len(vols)} volumes, {fmb:.1f} MB")
            for label, extra in runs:
                db = tmp / f"frus{len(extra)}.db"
                t, rss, rc = _measure([*DESPATCH, "--archive", str(db), "ingest", "-q", "-j", str(args.workers),
                                       *extra, str(FRUS)])
                print(_row(label, _count_docs(db), fmb, t, rss) + ("" if rc == 0 else f"   EXIT {rc}"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
