"""Search by meaning: judged paraphrase queries, BM25 against hybrid and semantic; embedding throughput;
latency; the vector index's memory.

    .venv/bin/python benchmarks/semantic.py [--corpus ../shared/corpus] [--work /tmp/despatch-bench-semantic]
                                            [--synthetic 1550000] [--pool pool.txt]

The corpus (built in --work on first run, then reused): the seed, three FRUS volumes (1930 vol. I, 1934
vols. IV and V) and the UN General Debate of 1960 — what two cores can embed in minutes. The queries are
`benchmarks/semantic_queries.tsv`: paraphrases whose words are absent from, or rare in, their targets,
written by reading the targets. Relevance: each query's target (grade 2) and the documents judged
relevant by reading the pooled top 10 of all three modes (`benchmarks/semantic_judgments.tsv`, grade 1 or
2; `--pool FILE` writes the pool to judge). The baseline is Despatch's own BM25 (`--mode text`) on the
same archive; the keyword set is tests/test_search_judged.py's, restricted to queries whose documents
are in this corpus.

`--synthetic N` also builds an int8 HNSW index of N random unit vectors (the UN corpus has 1.55 M
paragraphs) and times the nearest-neighbour part of a hybrid query at that size.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from despatch.ingest import IngestOptions, ingest  # noqa: E402
from despatch.semantic.embed import embed_archive  # noqa: E402
from despatch.semantic.model import Embedder  # noqa: E402
from despatch.store import open_archive  # noqa: E402

FRUS_VOLUMES = ("frus1930v01", "frus1934v04", "frus1934v05")
MODES = ("text", "hybrid", "semantic")


def build(corpus: Path, work: Path) -> Path:
    path = work / "semantic.db"
    if path.exists():
        return path
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with open_archive(path) as arch:
        ingest(arch, [corpus / "seed"], IngestOptions(workers=1, enrich=False))
        ingest(arch, [corpus / "frus" / f"{v}.xml" for v in FRUS_VOLUMES],
               IngestOptions(collection="frus", enrich=False))
        ingest(arch, [corpus / "ungdc" / "sessions" / "1960"],
               IngestOptions(collection="sessions", name_pattern="{country}_{session}_{year}", enrich=False))
    print(f"built {path} in {time.perf_counter() - t0:.0f} s")
    return path


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    dcg = sum(grades.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def load_queries(arch) -> tuple[list[tuple[str, str, dict[str, int]]], int]:  # type: ignore[no-untyped-def]
    judged: dict[str, dict[str, int]] = {}
    jfile = ROOT / "benchmarks" / "semantic_judgments.tsv"
    if jfile.exists():
        for row in csv.DictReader(jfile.open(), delimiter="\t"):
            judged.setdefault(row["qid"], {})[row["doc"]] = int(row["grade"])
    out, skipped = [], 0
    for row in csv.DictReader((ROOT / "benchmarks" / "semantic_queries.tsv").open(), delimiter="\t"):
        grades = {row["target"]: 2, **judged.get(row["qid"], {})}
        grades = {d: g for d, g in grades.items() if g > 0 and arch.current_key(d) is not None}
        if row["target"] not in grades:
            skipped += 1  # its target is not in this corpus
            continue
        out.append((row["qid"], row["query"], grades))
    return out, skipped


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--work", type=Path, default=Path("/tmp/despatch-bench-semantic"))
    ap.add_argument("--synthetic", type=int, default=0, help="also time ANN search over N random vectors")
    ap.add_argument("--pool", type=Path, help="write the pooled top 10 of every mode, to judge, and stop")
    args = ap.parse_args()
    if not (args.corpus / "seed").exists():
        sys.exit(f"no corpus at {args.corpus}: pass --corpus (the shared corpus folder)")
    path = build(args.corpus, args.work)
    arch = open_archive(path)
    embedder = Embedder()
    cores = os.cpu_count() or 1
    t0 = time.perf_counter()
    done = embed_archive(arch, embedder)
    if done.paragraphs:
        print(f"embedded {done.documents} documents, {done.paragraphs} paragraphs in {done.seconds:.1f} s: "
              f"{done.rate:.1f} paragraphs/s on {cores} cores ({done.rate / cores:.1f} per core); "
              f"the UN corpus's 1.55 M paragraphs at that rate: {1_550_000 / done.rate / 3600:.1f} h")
    stats = arch.embedding_stats()[embedder.name]
    t0 = time.perf_counter()
    vindex = arch.meaning().index
    print(f"vector index: {len(vindex)} vectors, {vindex.memory_bytes() / 1e6:.1f} MB in memory "
          f"({vindex.memory_bytes() / max(1, len(vindex)):.0f} B per vector; synced in "
          f"{time.perf_counter() - t0:.1f} s); archive holds {stats['paragraphs']} paragraph vectors")

    queries, skipped = load_queries(arch)
    if args.pool:
        with args.pool.open("w") as f:
            for qid, q, grades in queries:
                seen: dict[str, str] = {}
                for mode in MODES:
                    for h in arch.search(q, mode=mode, per_page=10, facets=[]).hits:
                        text = " ".join(s.marked() for s in h.snippets)[:300]
                        seen.setdefault(h.id, f"{h.title or ''} | {text}")
                f.write(f"## {qid}\t{q}\ttarget {next(iter(grades))}\n")
                for d, t in seen.items():
                    f.write(f"{d}\t{' '.join(t.split())}\n")
        print(f"pool written to {args.pool}")
        return

    print(f"\njudged paraphrase queries: {len(queries)} ({skipped} skipped: target not in this corpus)")
    print(f"{'mode':<10}{'nDCG@10':>9}{'target@10':>11}{'p50 ms':>9}{'p95 ms':>9}")
    scores: dict[str, list[float]] = {}
    for mode in MODES:
        nd, hit10, times = [], 0, []
        for _qid, q, grades in queries:
            t = time.perf_counter()
            res = arch.search(q, mode=mode, per_page=10)  # default facets and snippets, as the reading room
            times.append((time.perf_counter() - t) * 1000)
            ranked = [h.id for h in res.hits]
            nd.append(ndcg(ranked, grades))
            hit10 += next(iter(grades)) in ranked
        scores[mode] = nd
        print(f"{mode:<10}{statistics.mean(nd):>9.3f}{hit10:>8}/{len(queries)}{pct(times, 50):>9.1f}"
              f"{pct(times, 95):>9.1f}")
    gain = statistics.mean(scores["hybrid"]) - statistics.mean(scores["text"])
    print(f"hybrid - BM25 nDCG@10: {gain:+.3f}")

    from test_search_judged import JUDGED

    kw = [(q, lvl, k, docs) for q, lvl, k, docs in JUDGED
          if all(arch.current_key(d) is not None for d in docs)]
    print(f"\njudged keyword queries (tests/test_search_judged.py) with every document in this corpus: {len(kw)}")
    for mode in ("text", "hybrid"):
        passed, nd = 0, []
        for q, lvl, k, docs in kw:
            ranked = [h.id for h in arch.search(q, mode=mode, by=lvl, per_page=max(k, 10), facets=[]).hits]
            passed += all(d in ranked[:k] for d in docs)
            nd.append(ndcg(ranked, dict.fromkeys(docs, 1)))
        print(f"{mode:<10} pass {passed}/{len(kw)}  nDCG@10 {statistics.mean(nd) if nd else 0:.3f}")

    for by in ("document", "paragraph"):
        times = {m: [] for m in MODES}
        for _ in range(3):
            for _qid, q, _g in queries:
                for mode in MODES:
                    t = time.perf_counter()
                    arch.search(q, mode=mode, by=by, per_page=20)
                    times[mode].append((time.perf_counter() - t) * 1000)
        row = "  ".join(f"{m} p50 {pct(times[m], 50):.1f} p95 {pct(times[m], 95):.1f}" for m in MODES)
        print(f"latency by {by} (ms, top 20 with facets and snippets, 3 rounds): {row}; "
              f"hybrid/text p95 {pct(times['hybrid'], 95) / pct(times['text'], 95):.2f}x")
    arch.close()

    if args.synthetic:
        synthetic(args.synthetic, embedder.dim)


def synthetic(n: int, dim: int) -> None:
    """An int8 HNSW index of `n` random unit vectors: build time, memory, and k=400 search latency."""
    import numpy as np
    from usearch.index import Index

    from despatch.semantic.vectors import quantise

    rng = np.random.default_rng(1)
    index = Index(ndim=dim, metric="cos", dtype="i8", connectivity=16, expansion_add=96, expansion_search=128)
    t0 = time.perf_counter()
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        v = rng.normal(size=(m, dim)).astype(np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        index.add(np.arange(start, start + m, dtype=np.uint64), quantise(v), threads=0)
    build_s = time.perf_counter() - t0
    qs = quantise(rng.normal(size=(200, dim)).astype(np.float32))
    times = []
    for q in qs:
        t = time.perf_counter()
        index.search(q, 400)
        times.append((time.perf_counter() - t) * 1000)
    print(f"\nsynthetic: {n} int8 vectors, built in {build_s:.0f} s, {index.memory_usage / 1e9:.2f} GB in memory; "
          f"nearest 400: p50 {pct(times, 50):.1f} ms, p95 {pct(times, 95):.1f} ms")


if __name__ == "__main__":
    main()
