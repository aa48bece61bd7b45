"""Where one query's milliseconds go: Despatch search split into its stages, beside bare tantivy.

    python benchmarks/search_stages.py ARCHIVE ['"the united nations"' ...] [--by document] [--repeat 20]

For each query (default: the common-word phrase "the united nations"), on an archive you have ingested
(e.g. the one `benchmarks/scale.py --keep` leaves in --work), prints the median warm CPU time (with --wall
the wall time) of each stage of `Archive.search` (top 20, ten facets, snippets): parsing, compiling to a
tantivy query, the ranked top 20 with the total count, hydrating the 20 hits (records from the store),
snippets, and the facet counts; and, in the same loop, the same compiled tantivy query alone without the
count (`searcher.search(q, 20)`), with the count, and three facet aggregations alone. With `--cprofile` it
also prints the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from despatch.search import engine  # noqa: E402
from despatch.store import open_archive  # noqa: E402

STAGES = ["parse", "compile", "hydrate (records)", "snippets", "facets"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("archive")
    ap.add_argument("queries", nargs="*", default=['"the united nations"'])
    ap.add_argument("--by", default="document", choices=["document", "paragraph"])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--cprofile", action="store_true")
    ap.add_argument("--wall", action="store_true", help="time by the clock, not by CPU time")
    a = ap.parse_args()
    arch = open_archive(a.archive, readonly=True)
    spent: dict[str, float] = {}
    # CPU time of this process (every thread), not wall time: on a loaded machine the wall time of a
    # stage is mostly waiting for a core; --wall to time by the clock instead.
    clock = time.perf_counter if a.wall else time.process_time

    def timed(name, fn):
        def wrapper(*args, **kw):
            t0 = clock()
            try:
                return fn(*args, **kw)
            finally:
                spent[name] = spent.get(name, 0.0) + (clock() - t0) * 1000
        return wrapper

    engine.parse = timed("parse", engine.parse)
    engine.Compiler.compile = timed("compile", engine.Compiler.compile)
    engine.count_facets = timed("facets", engine.count_facets)
    engine.hydrate = timed("hydrate", engine.hydrate)
    engine.Matcher.snippets = timed("snippets", engine.Matcher.snippets)
    index = arch.search_index
    for q in a.queries:
        rows: dict[str, list[float]] = {}
        for rep in range(a.repeat + 1):
            spent.clear()
            t0 = clock()
            res = arch.search(q, by=a.by, per_page=20)
            total = (clock() - t0) * 1000
            # the same compiled query, bare: top 20 only; with the count; the facet aggregation alone
            searcher = index.indexes[a.by].searcher()
            tq = engine.Compiler(index.schemas[a.by], a.by, index.forms(a.by, searcher), index.feed).compile(
                engine.parse(q, meta_keys=index.meta_keys).tree)
            weight = "prior" if a.by == "document" else None
            t1 = clock()
            searcher.search(tq, limit=20)
            t2 = clock()
            searcher.search(tq, limit=20, count=True, weight_by_field=weight)
            t3 = clock()
            spec = {n: {"terms": {"field": engine.FACETS[n][0] if n != "decade" else "year", "size": 10,
                                  "segment_size": 100}} for n in ("year", "country", "collection")}
            searcher.aggregate(tq, spec)
            t4 = clock()
            if not rep:
                continue
            snip = spent.get("snippets", 0.0)
            row = {
                "parse": spent.get("parse", 0.0) - 0.0,
                "compile": spent.get("compile", 0.0),
                "hydrate (records)": spent.get("hydrate", 0.0) - snip,
                "snippets": snip,
                "facets": spent.get("facets", 0.0),
            }
            row["ranked top 20 + count (the rest)"] = total - sum(row.values())
            row["= Archive.search total"] = total
            row["bare: compiled query, top 20"] = (t2 - t1) * 1000
            row["bare: top 20 + count (+prior)"] = (t3 - t2) * 1000
            row["bare: 3 facet aggregations"] = (t4 - t3) * 1000
            for k, v in row.items():
                rows.setdefault(k, []).append(v)
        unit = "wall" if a.wall else "CPU"
        print(f"\n{q}  ({a.by} level, {res.total:,} hits; median {unit} time of {a.repeat} warm runs)")
        for k, v in rows.items():
            print(f"  {k:36} {statistics.median(v):8.2f} ms")
        if a.cprofile:
            pr = cProfile.Profile()
            pr.enable()
            for _ in range(a.repeat):
                arch.search(q, by=a.by, per_page=20)
            pr.disable()
            pstats.Stats(pr).sort_stats("tottime").print_stats(15)
    arch.close()


if __name__ == "__main__":
    main()
