"""Search latency of two or more revisions of Despatch on the same archive, side by side: is a change a regression?

    nice -n 5 .venv/bin/python benchmarks/search_revisions.py --archive /tmp/despatch-bench-search/archive.db \
        --rev before=/tmp/rev-before/src --rev after=src [--rev NAME=SRC ...] [--rounds 5] [--repeat 2]
    .venv/bin/python benchmarks/search_revisions.py --archive ARCHIVE --baseline OLD/src [--candidate src]

Each `--rev` names another checkout's `src/` (e.g. `git worktree add --detach /tmp/rev-before COMMIT`); the
first is the baseline (`--baseline`/`--candidate` are the two-revision spelling). Each round runs the query
mix of `benchmarks/search.py` (55 queries, top 20 with all facets and snippets, by document and by
paragraph) once in a fresh process per revision, in an order that rotates from round to round, against the
same archive opened read-only. The archive must be readable by every revision with its index in step (the
same INDEX_VERSION in `src/despatch/search/index.py` at every revision; build it with the oldest one, e.g.
`despatch ingest --no-enrich` of the UN tar, or with `benchmarks/search.py`, whose `--work` folder holds
`archive.db` and, with `--units lines`, `lines.db`). Each process warms up with one untimed pass first,
which also records every query's total; the totals must agree between revisions (a difference is printed:
the revisions would not be doing the same work).

Per query, two times: wall (`perf_counter`) and the process's CPU time (`process_time`). The machine is
shared, so the figures to read are ratios (revision / baseline) of medians over every query of every round,
CPU first: waiting for a core does not count in it. The spread is that of the per-round ratios; with
`--threshold` (1.05) a spread wholly below is "within", wholly above "beyond", otherwise "not
distinguishable" from it.
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
LEVELS = ("document", "paragraph")

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
sys.path.insert(1, sys.argv[2])
from search import QUERIES
from despatch.store import open_archive
arch = open_archive(sys.argv[3], readonly=True)
repeat = int(sys.argv[4])
out = {"totals": {}}
for level in ("document", "paragraph"):
    out["totals"][level] = [arch.search(q, by=level, per_page=20).total for q, *_ in QUERIES]  # warm-up
    wall, cpu = [], []
    for _ in range(repeat):
        for q, *_ in QUERIES:
            t, c = time.perf_counter(), time.process_time()
            arch.search(q, by=level, per_page=20)
            cpu.append((time.process_time() - c) * 1000)
            wall.append((time.perf_counter() - t) * 1000)
    out[level] = {"wall": wall, "cpu": cpu}
import despatch
out["module"] = despatch.__file__
print(json.dumps(out))
"""


def run(src: Path, archive: Path, repeat: int) -> dict:
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


def verdict(lo: float, hi: float, threshold: float) -> str:
    if hi < threshold:
        return f"within {threshold:.2f}"
    if lo > threshold:
        return f"BEYOND {threshold:.2f}"
    return f"not distinguishable from {threshold:.2f}"


def ratios(times: dict, per_round: dict, a: str, r: str, lv: str, threshold: float) -> str:
    """Revision `r` against revision `a` at one level: ratios of medians, spread of the per-round ratios."""
    t, b = times[r][lv], times[a][lv]
    per = [x / y for x, y in zip(per_round[r][lv]["cpu"], per_round[a][lv]["cpu"], strict=True)]
    perw = [x / y for x, y in zip(per_round[r][lv]["wall"], per_round[a][lv]["wall"], strict=True)]
    return (f"{'':15}cpu p50 ratio {statistics.median(t['cpu']) / statistics.median(b['cpu']):.3f}"
            f" (per round {min(per):.3f}-{max(per):.3f}: {verdict(min(per), max(per), threshold)}),"
            f" p95 ratio {pct(t['cpu'], 95) / pct(b['cpu'], 95):.3f};"
            f"  wall p50 ratio {statistics.median(t['wall']) / statistics.median(b['wall']):.3f}"
            f" (per round {min(perw):.3f}-{max(perw):.3f})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--archive", required=True, type=Path)
    ap.add_argument("--rev", action="append", default=[], metavar="NAME=SRC",
                    help="a revision's src/ folder; two or more, the first is the baseline")
    ap.add_argument("--baseline", type=Path, help="src/ of the revision to compare against (two-revision form)")
    ap.add_argument("--candidate", default=HERE.parent / "src", type=Path, help="src/ of the revision measured")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=2, help="passes over the query mix per process")
    ap.add_argument("--threshold", type=float, default=1.05)
    args = ap.parse_args()
    revs: dict[str, Path] = {}
    if args.baseline:
        revs = {"baseline": args.baseline.resolve(), "candidate": args.candidate.resolve()}
    for spec in args.rev:
        name, _, src = spec.partition("=")
        revs[name] = Path(src).resolve()
    if len(revs) < 2:
        sys.exit("give --baseline SRC, or two or more --rev NAME=SRC")
    names = list(revs)
    base = names[0]
    la = os.getloadavg()
    print(f"{args.archive}: load average at start {la[0]:.1f} {la[1]:.1f} {la[2]:.1f}; nice {os.nice(0)}")
    for name in names:
        print(f"  {name:10} {revs[name]}")
    # times[rev][level][kind] over all rounds; per_round[rev][level][kind] = medians of each round
    times = {r: {lv: {"wall": [], "cpu": []} for lv in LEVELS} for r in names}
    per_round = {r: {lv: {"wall": [], "cpu": []} for lv in LEVELS} for r in names}
    totals: dict[str, dict] = {}
    for i in range(args.rounds):
        order = names[i % len(names):] + names[:i % len(names)]
        got = {r: run(revs[r], args.archive, args.repeat) for r in order}
        for r in names:
            totals.setdefault(r, got[r]["totals"])
            for lv in LEVELS:
                for kind in ("wall", "cpu"):
                    times[r][lv][kind] += got[r][lv][kind]
                    per_round[r][lv][kind].append(statistics.median(got[r][lv][kind]))
        print(f"round {i + 1} (load {os.getloadavg()[0]:.1f}): " + "; ".join(
            f"{r} " + ", ".join(f"{lv[:3]} p50 cpu {per_round[r][lv]['cpu'][-1]:.2f} wall "
                                f"{per_round[r][lv]['wall'][-1]:.2f} ms" for lv in LEVELS)
            for r in order), flush=True)
    for r in names[1:]:
        for lv in LEVELS:
            diff = [q for q, (a, b) in enumerate(zip(totals[base][lv], totals[r][lv], strict=True)) if a != b]
            if diff:
                print(f"  NOTE {r} {lv}: totals differ from {base} for queries {diff}")
    print(f"\n{args.rounds} rounds x {args.repeat} passes x 55 queries per level; ratio = revision / {base}, "
          "then each revision / the one before it")
    for lv in LEVELS:
        print(f"  {lv}:")
        for r in names:
            t = times[r][lv]
            row = (f"    {r:10} cpu p50 {statistics.median(t['cpu']):7.2f} p95 {pct(t['cpu'], 95):7.2f} ms;"
                   f"  wall p50 {statistics.median(t['wall']):7.2f} p95 {pct(t['wall'], 95):7.2f} ms")
            if r != base:
                row += "\n" + ratios(times, per_round, base, r, lv, args.threshold)
            print(row)
        for a, r in zip(names[1:-1], names[2:], strict=True):
            print(f"    {r} / {a}:\n" + ratios(times, per_round, a, r, lv, args.threshold))
    la = os.getloadavg()
    print(f"load average at end {la[0]:.1f} {la[1]:.1f} {la[2]:.1f}")


if __name__ == "__main__":
    main()
