"""Search latency of two revisions of Despatch on the same archive, side by side: is a change a regression?

    .venv/bin/python benchmarks/search_revisions.py --archive /tmp/despatch-bench-search/lines.db \
        --baseline /path/to/old/src --candidate src [--rounds 5] [--repeat 2]

The baseline is another checkout's `src/` (e.g. `git archive main | tar -x -C /tmp/old`), the candidate
this one's. Each round runs the query mix of `benchmarks/search.py` (55 queries, top 20 with all facets
and snippets, by document and by paragraph) once in a fresh process per revision, alternating which goes
first, against the same archive opened read-only (its index must be in step: build it with
`benchmarks/search.py`, whose `--work` folder holds `archive.db` and, with `--units lines`, `lines.db`).
The machine is shared, so the figure to read is the ratio of medians (candidate / baseline) per level,
over every query of every round; each process warms up with one untimed pass first.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
sys.path.insert(1, sys.argv[2])
from search import QUERIES
from despatch.store import open_archive
arch = open_archive(sys.argv[3], readonly=True)
repeat = int(sys.argv[4])
out = {}
for level in ("document", "paragraph"):
    for q, *_ in QUERIES:  # warm-up: word forms cached, pages in memory
        arch.search(q, by=level, per_page=20)
    times = []
    for _ in range(repeat):
        for q, *_ in QUERIES:
            t = time.perf_counter()
            arch.search(q, by=level, per_page=20)
            times.append((time.perf_counter() - t) * 1000)
    out[level] = times
import despatch
out["module"] = despatch.__file__
print(json.dumps(out))
"""


def run(src: Path, archive: Path, repeat: int) -> dict[str, list[float]]:
    env = dict(os.environ, PYTHONHASHSEED="0")
    env.pop("PYTHONPATH", None)
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(src), str(HERE), str(archive), str(repeat)],
        capture_output=True, text=True, env=env, check=False,
    )
    if proc.returncode:
        sys.exit(f"{src}: {proc.stderr[-2000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if not str(out.pop("module")).startswith(str(src.resolve())):
        sys.exit(f"{src}: the child imported Despatch from elsewhere")
    return out


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[max(0, min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1)))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--archive", required=True, type=Path)
    ap.add_argument("--baseline", required=True, type=Path, help="src/ of the revision to compare against")
    ap.add_argument("--candidate", default=HERE.parent / "src", type=Path, help="src/ of the revision measured")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=2, help="passes over the query mix per process")
    args = ap.parse_args()
    revs = {"baseline": args.baseline.resolve(), "candidate": args.candidate.resolve()}
    times: dict[str, dict[str, list[float]]] = {r: {"document": [], "paragraph": []} for r in revs}
    round_medians: dict[str, list[float]] = {"document": [], "paragraph": []}
    for i in range(args.rounds):
        order = list(revs) if i % 2 == 0 else list(reversed(revs))
        got = {r: run(revs[r], args.archive, args.repeat) for r in order}
        for r in revs:
            for level in ("document", "paragraph"):
                times[r][level] += got[r][level]
        for level in ("document", "paragraph"):
            round_medians[level].append(
                statistics.median(got["candidate"][level]) / statistics.median(got["baseline"][level]))
        print(f"round {i + 1}: " + ", ".join(
            f"{level} p50 {statistics.median(got['baseline'][level]):.2f} -> "
            f"{statistics.median(got['candidate'][level]):.2f} ms" for level in ("document", "paragraph")),
            flush=True)
    print(f"\n{args.archive}: {args.rounds} rounds x {args.repeat} passes x 55 queries per level")
    print(f"  baseline  {revs['baseline']}\n  candidate {revs['candidate']}")
    for level in ("document", "paragraph"):
        b, c = times["baseline"][level], times["candidate"][level]
        print(f"  {level:9} p50 {statistics.median(b):7.2f} -> {statistics.median(c):7.2f} ms "
              f"({statistics.median(c) / statistics.median(b):.3f}x);  p95 {pct(b, 95):7.2f} -> {pct(c, 95):7.2f} ms "
              f"({pct(c, 95) / pct(b, 95):.3f}x);  median of per-round ratios "
              f"{statistics.median(round_medians[level]):.3f}x")


if __name__ == "__main__":
    main()
