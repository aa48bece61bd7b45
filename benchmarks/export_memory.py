"""Peak memory of a whole-archive export: Despatch's streaming export vs. a load-everything baseline.

Each side runs in a fresh process and reports its own peak RSS (ru_maxrss) and wall time; the baseline
("list then write") reads every document into a list before writing JSON Lines, which is what an export
without streaming costs. Run against an archive you have ingested, e.g. the UN General Debate corpus:

    despatch --archive /tmp/un-cite.db ingest /path/ungdc-1946-2024.tar.xz \\
        --name-pattern "{country}_{session}_{year}" --no-enrich
    python benchmarks/export_memory.py /tmp/un-cite.db --format jsonl --runs 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

CHILD = r"""
import json, os, resource, sys, time
from despatch.store import open_archive
path, fmt, mode, out = sys.argv[1:5]
t0 = time.perf_counter()
arch = open_archive(path, readonly=True)
n = 0
with open(out, "w", encoding="utf-8", newline="") as f:
    if mode == "despatch":
        from despatch.export import export
        n = export(arch, "", fmt, f)
    else:
        docs = list(arch.iter_documents())
        for d in docs:
            f.write(json.dumps(d.to_dict(), ensure_ascii=False) + "\n")
        n = len(docs)
arch.close()
print(json.dumps({"docs": n, "seconds": time.perf_counter() - t0,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "bytes": os.path.getsize(out)}))
"""


def run(path: str, fmt: str, mode: str, out: str) -> dict:
    r = subprocess.run([sys.executable, "-c", CHILD, path, fmt, mode, out], capture_output=True, text=True,
                       check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("archive")
    ap.add_argument("--format", default="jsonl")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default="/tmp/despatch-export-bench.out")
    a = ap.parse_args()
    results: dict[str, list[dict]] = {"despatch": [], "baseline": []}
    for _ in range(a.runs):
        for mode in results:
            if mode == "baseline" and a.format != "jsonl":
                continue
            results[mode].append(run(a.archive, a.format, mode, a.out))
    for mode, rs in results.items():
        if not rs:
            continue
        rss = sorted(r["peak_rss_mb"] for r in rs)
        secs = sorted(r["seconds"] for r in rs)
        p95 = lambda xs: xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]  # noqa: E731
        print(f"{mode:9s} docs={rs[0]['docs']} bytes={rs[0]['bytes']} peak RSS median={statistics.median(rss):.1f} MB "
              f"p95={p95(rss):.1f} MB  time median={statistics.median(secs):.1f} s p95={p95(secs):.1f} s")
    if results["baseline"]:
        d = statistics.median(r["peak_rss_mb"] for r in results["despatch"])
        b = statistics.median(r["peak_rss_mb"] for r in results["baseline"])
        print(f"peak RSS ratio despatch/baseline = {d / b:.2f}")


if __name__ == "__main__":
    main()
