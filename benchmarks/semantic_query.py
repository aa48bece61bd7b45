"""Where a hybrid query's time goes, on an archive that has paragraph vectors (`despatch embed`).

    nice -n 5 .venv/bin/python benchmarks/semantic_query.py ARCHIVE [--rounds 3] [--by document] [--profile]

1. Embedding one query with the model on 1 thread and on every core, alternating query by query (the
   baseline is torch's default, every core): p50 and max ms.
2. Hybrid searches (top 20 with facets and snippets) through `Archive.search`, as the reading room runs
   them, with the query embedded on 1 thread (what Despatch does) and on every core, alternating: p50 and
   p95 ms; with `--profile`, the functions that took the most cumulative time on 1 thread.

The queries are paraphrases of the kind benchmarks/semantic.py judges, written for FRUS and the seed.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time

from search import pct

QUERIES = [
    "canal concession to a private company", "a revolt against the government",
    "the British protectorate over the Indians", "Soviet leaders after the death of Stalin",
    "naval ships sent to protect citizens", "customs duties on imports",
    "expulsion of foreigners from the territory", "negotiations over the border",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("archive")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--by", default="document", choices=["document", "paragraph"])
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    import torch

    from despatch.semantic.model import Embedder
    from despatch.store import open_archive

    cores = os.cpu_count() or 1
    embedder = Embedder()
    embedder.encode(["warm up"])
    times: dict[int, list[float]] = {1: [], cores: []}
    for _ in range(args.rounds):
        for q in QUERIES:
            for n in times:
                torch.set_num_threads(n)
                t0 = time.perf_counter()
                embedder.encode([q])
                times[n].append((time.perf_counter() - t0) * 1000)
    print(f"one query embedded, load average {os.getloadavg()[0]:.1f}: " + "; ".join(
        f"{n} thread{'s' * (n > 1)} p50 {statistics.median(t):.1f} ms, max {max(t):.1f} ms" for n, t in times.items())
        + f"; ratio p50 {statistics.median(times[cores]) / statistics.median(times[1]):.1f}x")

    arch = open_archive(args.archive, readonly=True)
    arch.search(QUERIES[0], mode="hybrid", by=args.by)  # the model and the indexes loaded
    prof = cProfile.Profile()
    took: dict[int, list[float]] = {1: [], cores: []}
    for _ in range(args.rounds):
        for q in QUERIES:
            for n in took:  # Despatch embeds a query on one thread; torch's default is every core
                torch.set_num_threads(n)
                t0 = time.perf_counter()
                if args.profile and n == 1:
                    prof.enable()
                arch.search(q, mode="hybrid", by=args.by)
                if args.profile and n == 1:
                    prof.disable()
                took[n].append((time.perf_counter() - t0) * 1000)
    print(f"hybrid search by {args.by}, top 20 with facets and snippets, {len(took[1])} queries each, "
          f"load average {os.getloadavg()[0]:.1f}: " + "; ".join(
              f"query embedded on {n} thread{'s' * (n > 1)}: p50 {statistics.median(t):.1f} ms, "
              f"p95 {pct(t, 95):.1f} ms" for n, t in took.items())
          + f"; ratio p95 {pct(took[cores], 95) / pct(took[1], 95):.1f}x")
    if args.profile:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
