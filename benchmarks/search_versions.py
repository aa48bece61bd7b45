"""Search speed and index size of two versions of Despatch on the same archive, run alternately.

    # the archive as each version indexed it (benchmarks/search.py --work DIR made them), then:
    .venv/bin/python benchmarks/search_versions.py \\
        --before /work/main/src:/work/bench/before/lines.db --after src:/work/bench/after/lines.db

Each side runs in its own process (`PYTHONPATH=SRC`), on its own copy of the archive (a version opens an
index of another version by rebuilding it), with benchmarks/search.py's 55 queries at both levels; the
sides alternate `--rounds` times and the medians of the per-query times are compared. Times are the
process's CPU time as well as wall time: on a machine shared with other work, CPU time is the steadier.
Before the first timed round, a warm-up round fills the caches.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_side(archive: str, levels: list[str]) -> dict[str, object]:
    """In the child process: time every query once (after a warm-up) at each level."""
    sys.path.insert(0, str(HERE))
    from search import QUERIES

    from despatch.store import open_archive

    arch = open_archive(archive, readonly=True)
    out: dict[str, object] = {"index_bytes": arch.search_index.size_bytes()}
    for level in levels:
        for q, *_ in QUERIES:  # warm-up
            arch.search(q, by=level, per_page=20)
        cpu, wall = [], []
        for q, *_ in QUERIES:
            c, w = time.process_time(), time.perf_counter()
            arch.search(q, by=level, per_page=20)
            cpu.append((time.process_time() - c) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
        out[level] = {"cpu": cpu, "wall": wall}
    arch.close()
    return out


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", required=True, help="SRC:ARCHIVE of the first version")
    ap.add_argument("--after", required=True, help="SRC:ARCHIVE of the second version")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--levels", default="document,paragraph")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    levels = args.levels.split(",")
    if args.child:
        print(json.dumps(run_side(args.child, levels)))
        return
    sides = {}
    for name, spec in (("before", args.before), ("after", args.after)):
        src, _, archive = spec.partition(":")
        if not Path(archive).exists():
            sys.exit(f"{archive} is absent: make it with benchmarks/search.py --work DIR (it is DIR/lines.db)")
        sides[name] = (src, archive)
    results: dict[str, list[dict]] = {"before": [], "after": []}
    for _ in range(args.rounds):
        for name, (src, archive) in sides.items():
            env = {**os.environ, "PYTHONPATH": src, "PYTHONHASHSEED": "0"}
            cmd = [sys.executable, __file__, "--before", "x:x", "--after", "x:x", "--levels", args.levels,
                   "--child", archive]
            res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
            results[name].append(json.loads(res.stdout.strip().splitlines()[-1]))
    size = {n: results[n][0]["index_bytes"] for n in results}
    print(f"index size: before {size['before'] / 1e6:.1f} MB, after {size['after'] / 1e6:.1f} MB "
          f"(ratio {size['after'] / size['before']:.3f})")
    for level in levels:
        print(f"{level} level ({args.rounds} alternating rounds x {len(results['before'][0][level]['cpu'])} queries)")
        for kind in ("cpu", "wall"):
            row = {}
            for n in ("before", "after"):
                per_query = list(zip(*[r[level][kind] for r in results[n]], strict=True))
                meds = [statistics.median(x) for x in per_query]
                row[n] = (statistics.median(meds), pct(meds, 95))
            b, a = row["before"], row["after"]
            print(f"  {kind:4} p50 before {b[0]:8.2f} ms  after {a[0]:8.2f} ms  ratio {a[0] / b[0]:5.2f}   "
                  f"p95 before {b[1]:8.2f} ms  after {a[1]:8.2f} ms  ratio {a[1] / b[1]:5.2f}")


if __name__ == "__main__":
    main()
