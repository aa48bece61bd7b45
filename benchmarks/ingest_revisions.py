"""Ingest cost of two or more revisions of Despatch on the same input, side by side: is a change a regression?

    nice -n 5 .venv/bin/python benchmarks/ingest_revisions.py \
        --rev before=/tmp/rev-before/src --rev after=src [--rev NAME=SRC ...] \
        [--input ../shared/corpus/ungdc/sessions] [--name-pattern "{country}_{session}_{year}"] \
        [--mode no-enrich] [--mode enrich] [--rounds 5] [--workers 2]

Each `--rev` names another checkout's `src/` (e.g. `git worktree add --detach /tmp/rev-before COMMIT`); the
first is the baseline the others are divided by. Each round runs `python -m despatch ingest -q -j WORKERS`
once per revision and mode, into a fresh archive, with `PYTHONPATH` set to that revision's `src/` (checked
first: the child must import Despatch from there, and the worker processes inherit it). The order rotates
from round to round (round i starts with revision i mod n), so every revision runs first and last alike.

Two figures per run:

* **CPU time**: user + system time of the whole ingest process tree (the CLI process, its readers, the
  writer and the indexer), from `getrusage(RUSAGE_CHILDREN)` before and after the run: every process of
  the tree is waited for by its parent, so its time is added to the CLI process's when it ends. On a
  shared machine this is the figure to read: waiting for a core does not count.
* **wall time**, which on a loaded machine is mostly waiting, printed for completeness.

The verdict per mode and revision compares the ratio to the baseline with a threshold (`--threshold`,
1.05): the ratio of the medians over all rounds, and the spread of the per-round ratios (each revision
against the baseline of the same round). A spread wholly below the threshold is "within", wholly above it
"beyond", otherwise "not distinguishable" from it. Every run must store the same number of documents with
none failed, or the comparison stops.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"(\d+) documents added.*?(\d+) failed")


def _env(src: Path) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(src), PYTHONHASHSEED="0")


def _check_import(name: str, src: Path, cwd: Path) -> None:
    out = subprocess.run([sys.executable, "-c", "import despatch; print(despatch.__file__)"], env=_env(src),
                         cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
    if not out.startswith(str(src)):
        sys.exit(f"{name}: the child imports Despatch from {out}, not from {src}")


def _run(src: Path, args: argparse.Namespace, mode: str, work: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the process tree, documents added) of one ingest into a fresh archive."""
    for p in work.iterdir():
        if p.is_dir():
            shutil.rmtree(p)
        else:
            p.unlink()
    cmd = [sys.executable, "-m", "despatch", "--archive", str(work / "archive.db"), "ingest", "-q",
           "-j", str(args.workers), "--name-pattern", args.name_pattern, str(args.input)]
    if mode == "no-enrich":
        cmd.insert(-1, "--no-enrich")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=_env(src), cwd=work, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    found = SUMMARY.search(proc.stdout + proc.stderr)
    if proc.returncode or not found or int(found.group(2)):
        sys.exit(f"{src} ({mode}): exit {proc.returncode}\n{(proc.stdout + proc.stderr)[-2000:]}")
    return wall, cpu, int(found.group(1))


def _verdict(lo: float, hi: float, threshold: float) -> str:
    if hi < threshold:
        return f"within {threshold:.2f}"
    if lo > threshold:
        return f"BEYOND {threshold:.2f}"
    return f"not distinguishable from {threshold:.2f}"


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _rounds(args: argparse.Namespace, revs: dict[str, Path], modes: list[str], work: Path,
            res: dict[str, dict[str, list[tuple[float, float]]]], docs: set[int]) -> None:
    names = list(revs)
    for i in range(args.rounds):
        order = names[i % len(names):] + names[:i % len(names)]
        for mode in modes:
            line = []
            for name in order:
                wall, cpu, added = _run(revs[name], args, mode, work)
                docs.add(added)
                res[mode][name].append((wall, cpu))
                line.append(f"{name} cpu {cpu:6.2f} s wall {wall:6.1f} s")
            if len(docs) != 1:
                sys.exit(f"the revisions stored different numbers of documents: {sorted(docs)}")
            print(f"round {i + 1} {mode:9} ({added} documents; load {os.getloadavg()[0]:.1f}): "
                  + "; ".join(line), flush=True)


def _summarise(res: dict[str, dict[str, list[tuple[float, float]]]], names: list[str], threshold: float) -> None:
    """Medians, best runs and ratios: every revision against the first, and against the one before it."""
    for mode, byrev in res.items():
        rounds = len(byrev[names[0]])
        if not rounds:
            continue
        print(f"\n{mode}: {rounds} rounds; CPU = user+sys of the process tree, median (best run, worst run)")
        for name in names:
            r = byrev[name]
            print(f"  {name:10} cpu {statistics.median(x[1] for x in r):7.2f} s ({min(x[1] for x in r):.2f}, "
                  f"{max(x[1] for x in r):.2f})  wall {statistics.median(x[0] for x in r):7.1f} s")
        pairs = [(names[0], n) for n in names[1:]] + list(zip(names[1:-1], names[2:], strict=True))
        for a, b in pairs:
            ra, rb = byrev[a], byrev[b]
            per = [y[1] / x[1] for x, y in zip(ra, rb, strict=True)]
            perw = [y[0] / x[0] for x, y in zip(ra, rb, strict=True)]
            cpu = statistics.median(y[1] for y in rb) / statistics.median(x[1] for x in ra)
            best = min(y[1] for y in rb) / min(x[1] for x in ra)
            wall = statistics.median(y[0] for y in rb) / statistics.median(x[0] for x in ra)
            print(f"  {b:>10} / {a:<10} cpu {cpu:.3f} (per round {min(per):.3f}-{max(per):.3f}, median "
                  f"{statistics.median(per):.3f}: {_verdict(min(per), max(per), threshold)}; best runs {best:.3f})"
                  f"  wall {wall:.3f} (per round {min(perw):.3f}-{max(perw):.3f})")


ROUND = re.compile(r"^round \d+ (\S+)\s+\(.*?\): (.*)$")
RUN = re.compile(r"(\S+) cpu\s+([\d.]+) s wall\s+([\d.]+) s")


def _summarise_log(log: Path, names: list[str], threshold: float) -> None:
    res: dict[str, dict[str, list[tuple[float, float]]]] = {}
    for line in log.read_text().splitlines():
        if m := ROUND.match(line):
            for name, cpu, wall in RUN.findall(m.group(2)):
                res.setdefault(m.group(1), {}).setdefault(name, []).append((float(wall), float(cpu)))
    for byrev in res.values():
        names[:] = [n for n in names if n in byrev] or list(byrev)
    print(f"from {log}")
    _summarise(res, names, threshold)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rev", action="append", required=True, metavar="NAME=SRC",
                    help="a revision's src/ folder; give two or more, the first is the baseline")
    ap.add_argument("--input", type=Path, default=ROOT.parent / "shared" / "corpus" / "ungdc" / "sessions")
    ap.add_argument("--name-pattern", default="{country}_{session}_{year}")
    ap.add_argument("--mode", action="append", choices=("no-enrich", "enrich"),
                    help="ingest without and/or with enrichment (default: no-enrich)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threshold", type=float, default=1.05)
    ap.add_argument("--from-log", type=Path, help="summarise the round lines of an earlier run's output instead "
                    "(one stopped before its end); --rev NAME= gives the order, the first is the baseline")
    args = ap.parse_args()
    revs: dict[str, Path] = {}
    for spec in args.rev:
        name, _, src = spec.partition("=")
        revs[name] = Path(src).resolve()
    if args.from_log:
        _summarise_log(args.from_log, list(revs), args.threshold)
        return
    if len(revs) < 2:
        sys.exit("give at least two --rev NAME=SRC")
    if not args.input.exists():
        sys.exit(f"{args.input} is absent: the benchmark reads the real corpus in ../shared")
    modes = args.mode or ["no-enrich"]
    names = list(revs)
    load = os.getloadavg()
    print(f"input {args.input}, workers={args.workers}, {args.rounds} rounds, modes {', '.join(modes)}; "
          f"load average at start {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; nice {os.nice(0)}")
    work = Path(tempfile.mkdtemp(prefix="despatch-ingest-revs-"))
    try:
        for name in names:
            _check_import(name, revs[name], work)
            print(f"  {name:10} {revs[name]}")
        # res[mode][rev] = list of (wall, cpu) per round
        res: dict[str, dict[str, list[tuple[float, float]]]] = {m: {n: [] for n in names} for m in modes}
        docs: set[int] = set()
        signal.signal(signal.SIGTERM, _stop)
        try:
            _rounds(args, revs, modes, work, res, docs)
        except KeyboardInterrupt:
            print("stopped: the figures below are those of the rounds completed")
            for r in res.values():  # only complete rounds
                n = min(len(x) for x in r.values())
                for name in r:
                    del r[name][n:]
        _summarise(res, names, args.threshold)
        load = os.getloadavg()
        print(f"load average at end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
