"""Search by meaning: judged paraphrase queries, BM25 against hybrid and semantic; embedding throughput;
latency; the vector index's memory; usearch beside hnswlib, faiss and sqlite-vec.

    .venv/bin/python benchmarks/semantic.py [--corpus ../shared/corpus] [--work /tmp/despatch-bench-semantic]
        [--pool pool.txt] [--synthetic 1550000] [--throughput 600] [--compare 200000]
        [--rounds 3] [--per-query] [--dump ranks.tsv]

The corpus (built in --work on first run, then reused): the seed, three FRUS volumes (1930 vol. I, 1934
vols. IV and V) and the UN General Debate of 1960 — what two cores can embed in minutes. The queries are
`benchmarks/semantic_queries.tsv`: paraphrases whose words are absent from, or rare in, their targets,
written by reading the targets; those whose target is not in this corpus are skipped. Relevance:
`benchmarks/semantic_judgments.tsv`, graded 0/1/2 by reading every document in the pooled top 10 of all
four runs (its header says how; `--pool FILE` writes the pool to judge), plus each query's target (2).
Two baselines, both Despatch's own BM25 on the same archive: `text` (the query language as typed: its
words are ANDed, so a long paraphrase often matches nothing) and `text-or` (the same words ORed, as a
search engine's "any of these words"). "judged@10" is the share of a run's top 10 that was judged (an
unjudged document counts as not relevant). The queries are also split into two halves (odd and even
positions) so that a change tuned on one half can be checked on the other. The keyword set is
tests/test_search_judged.py's, restricted to queries whose documents are in this corpus.

`--throughput N` embeds N random lines and N random paragraphs of the whole UN corpus (the tar) on one
thread and reports paragraphs per CPU-second (robust to the load of a shared machine) and the time to
embed the corpus. `--synthetic N` builds Despatch's int8 HNSW index over N random unit vectors (the UN
corpus has 1.55 M lines) and times the vector side of a hybrid query at that size (embedding the query's
words, then the nearest 400). `--compare N` puts usearch, hnswlib, faiss and sqlite-vec side by side
(build time, memory, query p95, recall@10 against exact search) on the corpus's own vectors and on N
random vectors (`pip install -e '.[vector-bench]'`).
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from despatch.ingest import IngestOptions, ingest  # noqa: E402
from despatch.semantic.embed import embed_archive  # noqa: E402
from despatch.semantic.model import Embedder  # noqa: E402
from despatch.store import open_archive  # noqa: E402

FRUS_VOLUMES = ("frus1930v01", "frus1934v04", "frus1934v05")
MODES = ("text", "hybrid", "semantic")
WORD = re.compile(r"[^\W_][\w'’.-]*")


def text_or(query: str) -> str:
    """The paraphrase's words OR'd: BM25 without the query language's implicit AND (a second baseline,
    as a search engine's "any of these words" would run it)."""
    return " OR ".join(w.rstrip(".-") for w in WORD.findall(query) if w not in ("AND", "OR", "NOT"))


def run(arch, mode: str, q: str, **kw):  # type: ignore[no-untyped-def]
    """One search in a benchmark mode: Despatch's modes, or "text-or" (BM25 of the words OR'd)."""
    if mode == "text-or":
        return arch.search(text_or(q), mode="text", **kw)
    return arch.search(q, mode=mode, **kw)


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
        for row in csv.DictReader((ln for ln in jfile.open() if not ln.startswith("#")), delimiter="\t"):
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
    ap.add_argument("--compare", type=int, default=0,
                    help="also compare usearch, hnswlib, faiss and sqlite-vec on N random vectors")
    ap.add_argument("--throughput", type=int, default=0,
                    help="also embed N random lines of the whole UN corpus on one thread (CPU time)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the latency measurement")
    ap.add_argument("--dump", type=Path, help="write each run's top 10 per paraphrase query (qid, mode, ids) here")
    ap.add_argument("--per-query", action="store_true", help="print each paraphrase query's nDCG@10 per mode")
    ap.add_argument("--pool", type=Path, help="write the pooled top 10 of every mode, to judge, and stop")
    args = ap.parse_args()
    if not (args.corpus / "seed").exists():
        sys.exit(f"no corpus at {args.corpus}: pass --corpus (the shared corpus folder)")
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {os.getloadavg()[0]:.1f}")
    path = build(args.corpus, args.work)
    arch = open_archive(path)
    embedder = Embedder()
    cores = os.cpu_count() or 1
    cpu0, t0 = time.process_time(), time.perf_counter()
    done = embed_archive(arch, embedder)
    if done.paragraphs:
        cpu = time.process_time() - cpu0
        print(f"embedded {done.documents} documents, {done.paragraphs} paragraphs in {done.seconds:.1f} s wall, "
              f"{cpu:.0f} s CPU: {done.rate:.1f} paragraphs/s on {cores} shared cores, "
              f"{done.paragraphs / cpu:.1f} paragraphs per CPU-second; load average now {os.getloadavg()[0]:.1f}")
    stats = arch.embedding_stats()[embedder.name]
    t0 = time.perf_counter()
    vindex = arch.meaning().index
    print(f"vector index: {len(vindex)} vectors, {vindex.memory_bytes() / 1e6:.1f} MB in memory "
          f"({vindex.memory_bytes() / max(1, len(vindex)):.0f} B per vector; synced in "
          f"{time.perf_counter() - t0:.1f} s); archive holds {stats['paragraphs']} paragraph vectors")

    queries, skipped = load_queries(arch)
    modes = ("text", "text-or", "hybrid", "semantic")
    if args.pool:
        with args.pool.open("w") as f:
            for qid, q, grades in queries:
                seen: dict[str, str] = {}
                for mode in modes:
                    for h in run(arch, mode, q, per_page=10, facets=[]).hits:
                        text = " ".join(s.marked() for s in h.snippets)[:300]
                        seen.setdefault(h.id, f"{h.title or ''} | {text}")
                f.write(f"## {qid}\t{q}\ttarget {next(iter(grades))}\n")
                for d, t in seen.items():
                    f.write(f"{d}\t{' '.join(t.split())}\n")
        print(f"pool written to {args.pool}")
        return

    judged = judged_docs()
    print(f"\njudged paraphrase queries: {len(queries)} ({skipped} skipped: target not in this corpus)")
    print(f"{'mode':<10}{'nDCG@10':>9}{'target@10':>11}{'judged@10':>11}{'p50 ms':>9}{'p95 ms':>9}")
    scores: dict[str, list[float]] = {}
    dump = args.dump.open("w") if args.dump else None
    for mode in modes:
        nd, hit10, seen, times = [], 0, [0, 0], []
        for qid, q, grades in queries:
            t = time.perf_counter()
            res = run(arch, mode, q, per_page=10)  # default facets and snippets, as the reading room
            times.append((time.perf_counter() - t) * 1000)
            ranked = [h.id for h in res.hits]
            if dump:
                dump.write(f"{qid}\t{mode}\t{','.join(ranked)}\n")
            nd.append(ndcg(ranked, grades))
            hit10 += next(iter(grades)) in ranked
            seen[0] += sum(d in judged.get(qid, ()) or d in grades for d in ranked)
            seen[1] += len(ranked)
        scores[mode] = nd
        if dump:
            dump.flush()
        print(f"{mode:<10}{statistics.mean(nd):>9.3f}{hit10:>8}/{len(queries)}{seen[0] / max(1, seen[1]):>11.0%}"
              f"{pct(times, 50):>9.1f}{pct(times, 95):>9.1f}")
    for base in ("text", "text-or"):
        gain = statistics.mean(scores["hybrid"]) - statistics.mean(scores[base])
        print(f"hybrid - {base} nDCG@10: {gain:+.3f}")
    halves = {"tuning (odd positions)": queries[0::2], "held out (even positions)": queries[1::2]}
    for name, part in halves.items():
        ids = {qid for qid, _, _ in part}
        mean = {m: statistics.mean(x for (qid, _, _), x in zip(queries, scores[m], strict=True) if qid in ids)
                for m in modes}
        row = "  ".join(f"{m} {mean[m]:.3f}" for m in modes)
        print(f"  {name}, {len(part)} queries: {row}")
    if args.per_query:
        for i, (qid, _q, _g) in enumerate(queries):
            print(f"  {qid:<5}" + "".join(f"{m} {scores[m][i]:.2f}  " for m in modes))

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
        for _ in range(args.rounds):
            for _qid, q, _g in queries:
                for mode in MODES:
                    t = time.perf_counter()
                    arch.search(q, mode=mode, by=by, per_page=20)
                    times[mode].append((time.perf_counter() - t) * 1000)
        row = "  ".join(f"{m} p50 {pct(times[m], 50):.1f} p95 {pct(times[m], 95):.1f}" for m in MODES)
        print(f"latency by {by} (ms, top 20 with facets and snippets, {args.rounds} rounds): {row}; "
              f"hybrid/text p95 {pct(times['hybrid'], 95) / pct(times['text'], 95):.2f}x")
    if args.compare:
        real, qvecs = real_vectors(arch, embedder.name), embedder.encode([q for _, q, _ in queries])
    arch.close()

    if args.throughput:
        throughput(args.corpus, embedder, args.throughput)
    if args.synthetic:
        synthetic(args.synthetic, embedder, [q for _, q, _ in queries])
    if args.compare:
        compare_libraries(real, qvecs, "the corpus's own paragraph vectors, the paraphrase queries")
        compare_libraries(random_units(args.compare, embedder.dim), random_units(200, embedder.dim, seed=2),
                          f"{args.compare:,} random unit vectors")
    print(f"\nfinished {time.strftime('%H:%M UTC', time.gmtime())}; load average {os.getloadavg()[0]:.1f}")


def judged_docs() -> dict[str, set[str]]:
    jfile = ROOT / "benchmarks" / "semantic_judgments.tsv"
    out: dict[str, set[str]] = {}
    if jfile.exists():
        for row in csv.DictReader((ln for ln in jfile.open() if not ln.startswith("#")), delimiter="\t"):
            out.setdefault(row["qid"], set()).add(row["doc"])
    return out


def random_units(n: int, dim: int, seed: int = 1):  # type: ignore[no-untyped-def]
    """`n` random unit vectors, float32 (the worst case for a graph index: no clusters to follow)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):
        v = rng.normal(size=(min(100_000, n - start), dim)).astype(np.float32)
        out[start : start + len(v)] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def real_vectors(arch, model: str):  # type: ignore[no-untyped-def]
    """Every stored paragraph vector of the archive, as float32 unit vectors (decoded from int8)."""
    import numpy as np

    rows, seq = [], 0
    while batch := arch.embeddings_since(model, seq, 50_000):
        rows += [r[3] for r in batch]
        seq = batch[-1][0]
    v = np.frombuffer(b"".join(rows), dtype=np.int8).reshape(len(rows), -1).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def un_sample(corpus: Path, n: int) -> tuple[list[str], list[str], int, int, float, float]:
    """`n` random non-empty lines and `n` random paragraphs (blocks between blank lines, their hard-wrapped
    lines joined) of the whole UN General Debate corpus (ungdc-1946-2024.tar.xz, read as a stream), with
    the corpus's counts and mean lengths of both."""
    import random
    import tarfile
    import unicodedata

    rng = random.Random(18)
    lines: list[str] = []
    paras: list[str] = []
    n_lines = n_paras = 0
    len_lines = len_paras = 0

    def keep(pool: list[str], seen: int, x: str) -> None:  # reservoir sampling
        if len(pool) < n:
            pool.append(x)
        elif (j := rng.randrange(seen)) < n:
            pool[j] = x

    with tarfile.open(corpus / "ungdc" / "ungdc-1946-2024.tar.xz", mode="r|xz") as tf:
        for member in tf:
            if not member.isfile() or not member.name.endswith(".txt"):
                continue
            raw = tf.extractfile(member).read().decode("utf-8", errors="replace")  # type: ignore[union-attr]
            block: list[str] = []
            for x in [*unicodedata.normalize("NFC", raw).splitlines(), ""]:
                x = " ".join(x.split())
                if x:
                    n_lines += 1
                    len_lines += len(x)
                    keep(lines, n_lines, x)
                    block.append(x)
                elif block:
                    n_paras += 1
                    para = " ".join(block)
                    len_paras += len(para)
                    keep(paras, n_paras, para)
                    block = []
    return lines, paras, n_lines, n_paras, len_lines / max(1, n_lines), len_paras / max(1, n_paras)


def throughput(corpus: Path, embedder: Embedder, n: int) -> None:
    """Embed `n` random lines and `n` random paragraphs of the whole UN corpus on one thread: paragraphs per
    CPU-second, and from it the time to embed the corpus. The issue's 1.55 M "paragraphs" are the files'
    non-empty lines (hard-wrapped, as benchmarks/search.py and analysis.py count them); the paragraphs that
    `despatch embed` would embed are the reader's, the blocks between blank lines."""
    import torch

    from despatch.semantic.embed import MAX_CHARS

    t0 = time.perf_counter()
    lines, paras, n_lines, n_paras, mean_line, mean_para = un_sample(corpus, n)
    print(f"\nthroughput: the UN corpus has {n_lines:,} non-empty lines (mean {mean_line:.0f} chars) and {n_paras:,} "
          f"paragraphs between blank lines (mean {mean_para:.0f} chars); sampled {len(lines)} of each in "
          f"{time.perf_counter() - t0:.0f} s")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    for name, sample, total in (("lines", lines, n_lines), ("paragraphs", paras, n_paras)):
        cpu0, t0 = time.process_time(), time.perf_counter()
        for start in range(0, len(sample), 512):  # as `despatch embed` calls the model: 512 paragraphs a flush
            embedder.encode([t[:MAX_CHARS] for t in sample[start : start + 512]])
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - t0
        rate = len(sample) / cpu
        print(f"  {name:<10} on one thread: {len(sample)} in {cpu:.0f} s CPU ({wall:.0f} s wall, load average "
              f"{os.getloadavg()[0]:.0f}): {rate:.1f} per CPU-second; all {total:,}: {total / rate / 3600:.1f} h "
              f"on one core, {total / rate / 3600 / (os.cpu_count() or 1):.1f} h on {os.cpu_count()} cores")
    torch.set_num_threads(threads)


def synthetic(n: int, embedder: Embedder, texts: list[str]) -> None:
    """An int8 HNSW index of `n` random unit vectors as Despatch builds it: build time, memory, and the
    vector side of a hybrid query at that size (embed the query's words, then the nearest 400)."""
    from usearch.index import Index

    from despatch.search.hybrid import VECTOR_DEPTH
    from despatch.semantic.vectors import quantise

    dim = embedder.dim
    index = Index(ndim=dim, metric="cos", dtype="i8", connectivity=16, expansion_add=96, expansion_search=128)
    t0 = time.perf_counter()
    for start in range(0, n, 100_000):
        v = random_units(min(100_000, n - start), dim, seed=start + 1)
        index.add(np.arange(start, start + len(v), dtype=np.uint64), quantise(v), threads=0)
    build_s = time.perf_counter() - t0
    ann, both = [], []
    for _ in range(3):
        for q in texts:
            t = time.perf_counter()
            vec = quantise(embedder.encode([q]))[0]
            t1 = time.perf_counter()
            index.search(vec, VECTOR_DEPTH)
            t2 = time.perf_counter()
            ann.append((t2 - t1) * 1000)
            both.append((t2 - t) * 1000)
    print(f"\nsynthetic: {n:,} int8 vectors, built in {build_s:.0f} s, {index.memory_usage / 1e9:.2f} GB in memory; "
          f"nearest {VECTOR_DEPTH}: p50 {pct(ann, 50):.1f} ms, p95 {pct(ann, 95):.1f} ms; embedding the query and "
          f"the nearest {VECTOR_DEPTH} ({len(texts)} paraphrase queries x 3): p50 {pct(both, 50):.1f} ms, "
          f"p95 {pct(both, 95):.1f} ms")


def compare_libraries(data, queries, label: str, k: int = 10) -> None:  # type: ignore[no-untyped-def]
    """usearch (Despatch's), hnswlib, faiss and sqlite-vec side by side on the same vectors: build time,
    memory, query p50/p95 for the nearest 400 (what a hybrid query asks) and recall@10 against exact search.
    The graph indexes use the same parameters (M 16, ef 96 to build, 128 to search)."""
    import gc
    import tempfile

    import psutil

    from despatch.search.hybrid import VECTOR_DEPTH
    from despatch.semantic.vectors import quantise

    n, dim = data.shape
    proc = psutil.Process()
    exact = np.zeros((len(queries), k), dtype=np.int64)
    sims = np.full((len(queries), k), -2.0, dtype=np.float32)
    for start in range(0, n, 200_000):  # exact search, chunk by chunk
        s = queries @ data[start : start + 200_000].T
        top = np.argpartition(-s, min(k, s.shape[1] - 1), axis=1)[:, :k]
        cand_s = np.concatenate([sims, np.take_along_axis(s, top, axis=1)], axis=1)
        cand_i = np.concatenate([exact, top + start], axis=1)
        best = np.argsort(-cand_s, axis=1)[:, :k]
        sims, exact = np.take_along_axis(cand_s, best, axis=1), np.take_along_axis(cand_i, best, axis=1)
    q8 = quantise(queries)

    def usearch_lib():  # type: ignore[no-untyped-def]
        from usearch.index import Index

        ix = Index(ndim=dim, metric="cos", dtype="i8", connectivity=16, expansion_add=96, expansion_search=128)
        for start in range(0, n, 100_000):
            ix.add(np.arange(start, min(n, start + 100_000), dtype=np.uint64), quantise(data[start : start + 100_000]),
                   threads=0)
        return ix, lambda i: ix.search(q8[i], VECTOR_DEPTH).keys[:k], "int8", ix.memory_usage

    def hnswlib_lib():  # type: ignore[no-untyped-def]
        import hnswlib

        ix = hnswlib.Index(space="cosine", dim=dim)
        ix.init_index(max_elements=n, ef_construction=96, M=16)
        ix.add_items(data, np.arange(n), num_threads=-1)
        ix.set_ef(128)
        return ix, lambda i: ix.knn_query(queries[i : i + 1], k=VECTOR_DEPTH)[0][0][:k], "float32", None

    def faiss_lib():  # type: ignore[no-untyped-def]
        import faiss

        ix = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, 16, faiss.METRIC_INNER_PRODUCT)
        ix.hnsw.efConstruction = 96
        ix.train(data[: min(n, 100_000)])
        ix.add(data)
        ix.hnsw.efSearch = 128
        return ix, lambda i: ix.search(queries[i : i + 1], VECTOR_DEPTH)[1][0][:k], "int8 (SQ8)", None

    tmp = tempfile.TemporaryDirectory()

    def sqlite_vec_lib():  # type: ignore[no-untyped-def]
        import apsw  # the standard library's sqlite3 here cannot load extensions (see docs/semantic.md)
        import sqlite_vec

        db = apsw.Connection(str(Path(tmp.name) / "vec.db"))
        db.enable_load_extension(True)
        db.load_extension(sqlite_vec.loadable_path())
        db.execute(f"create virtual table v using vec0(embedding int8[{dim}] distance_metric=cosine)")
        with db:
            for start in range(0, n, 50_000):
                chunk = quantise(data[start : start + 50_000])
                db.executemany("insert into v(rowid, embedding) values (?, vec_int8(?))",
                               ((start + j, chunk[j].tobytes()) for j in range(len(chunk))))

        def search(i: int):  # type: ignore[no-untyped-def]
            rows = db.execute("select rowid from v where embedding match vec_int8(?) and k = ? order by distance",
                              (q8[i].tobytes(), VECTOR_DEPTH)).fetchall()
            return [r[0] for r in rows[:k]]

        return db, search, "int8, exact scan", None

    libs = {"usearch": usearch_lib, "hnswlib": hnswlib_lib, "faiss": faiss_lib, "sqlite-vec": sqlite_vec_lib}
    print(f"\nvector libraries on {label} ({n:,} x {dim}; {len(queries)} queries, nearest {VECTOR_DEPTH}, one thread "
          f"per query; memory: the library's own figure, else the process's RSS growth while building):")
    for name, make in libs.items():
        gc.collect()
        rss0 = proc.memory_info().rss
        t0 = time.perf_counter()
        try:
            ix, search, dtype, mem = make()
        except ImportError as e:
            print(f"  {name:<11} not installed ({e.name})")
            continue
        build_s = time.perf_counter() - t0
        mem = mem if mem is not None else proc.memory_info().rss - rss0
        nq = len(queries) if name != "sqlite-vec" or n <= 100_000 else min(len(queries), 30)
        times, recall = [], []
        for i in range(nq):
            t = time.perf_counter()
            got = search(i)
            times.append((time.perf_counter() - t) * 1000)
            recall.append(len(set(int(x) for x in got) & set(exact[i].tolist())) / k)
        size = f", file {Path(tmp.name, 'vec.db').stat().st_size / 1e6:.0f} MB" if name == "sqlite-vec" else ""
        print(f"  {name:<11} {dtype:<17} build {build_s:7.1f} s  memory {mem / 1e6:7.0f} MB{size}  "
              f"query p50 {pct(times, 50):7.1f} ms p95 {pct(times, 95):7.1f} ms ({nq} queries)  "
              f"recall@{k} {statistics.mean(recall):.3f}")
        del ix, search
    tmp.cleanup()


if __name__ == "__main__":
    main()
