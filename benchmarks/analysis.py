"""Analysis benchmark on the full UN General Debate archive at paragraph level (issue 17's "Done when").

    .venv/bin/python benchmarks/analysis.py --work DIR [--corpus ../shared/corpus/ungdc/ungdc-1946-2024.tar.xz]
        [--runs 20] [--skip-baseline]            # builds DIR/lines.db once: 1.55 M paragraphs (the files' lines)
    .venv/bin/python benchmarks/analysis.py --archive ARCHIVE.db   # any archive (e.g. the reader's 219,000 spans)

The issue's scale counts each non-empty line of the UN files as a paragraph (1,554,650), as
benchmarks/search.py does; its `line_archive` builds that archive (no enrichment: the network, which needs
entities, is not among the figures).

Despatch first (so the peak RSS it reports is Despatch's own), then the baselines in the same run:

* trend: three queries by year split by country, counting matching paragraphs (p50/p95 over --runs calls,
  rotating query triples); baseline: a straightforward scan over every paragraph's text with one regular
  expression per query, counting per (year, country).
* keyness: one country's speeches against the rest (p50/p95 over five countries); baseline: the same
  scan tokenising every text and counting words for the country and in total, then G² in Python.
* collocates of a common word (peace, 5 left/5 right, in the paragraph); baseline: the scan counting the
  words within five of every occurrence.
* concordance export of 100,000 lines to a TSV file: time and the process's RSS every 10,000 lines
  (streamed: flat), against collecting the same lines in a list first (what a non-streaming export does).
The baseline scans share one read of the texts, whose time is added to each.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import resource
import time
from collections import Counter
from pathlib import Path

from despatch.analysis import collocates, concordance, keyness, trend
from despatch.analysis.corpus import load
from despatch.analysis.kwic import write_tsv
from despatch.store import open_archive

TRIPLES = [
    ['"peaceful coexistence"', "disarmament", "colonialism"],
    ["terrorism", '"human rights"', "apartheid"],
    ["nuclear", "development", '"climate change"'],
    ["soviet", "israel", "hunger"],
]
COUNTRIES = ["RUS", "USA", "CHN", "FRA", "IND"]
WORD = re.compile(r"[^\W_]+")


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, math.ceil(p / 100 * len(xs)) - 1))]


def timed(fn, *a, **kw):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    r = fn(*a, **kw)
    return r, (time.perf_counter() - t) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--archive", help="An existing archive to measure.")
    ap.add_argument("--work", help="Build (once) and measure DIR/lines.db, the 1.55 M-line archive.")
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ungdc"
                                            / "ungdc-1946-2024.tar.xz"))
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--kwic", type=int, default=100_000)
    ap.add_argument("--skip-baseline", action="store_true")
    args = ap.parse_args()
    if not args.archive and not args.work:
        ap.error("give --archive or --work")
    path = args.archive or build_lines(Path(args.work), Path(args.corpus))
    arch = open_archive(path, readonly=True)
    paras = arch.count("*", by="paragraph", groups=()).total
    docs = arch.count("*", by="document", groups=()).total
    print(f"archive {path}: {docs:,} documents, {paras:,} paragraphs")

    tc, ms = timed(load, arch)
    print(f"token corpus: {tc.size:,} words, {len(tc.vocab):,} distinct, {len(tc.ent_id):,} entity mentions; "
          f"loaded (or built once per archive version) in {ms / 1000:.1f} s; RSS {rss_mb():.0f} MB")

    # -- trend --------------------------------------------------------------------------------------
    trend(arch, TRIPLES[0], split="country", unit="paragraphs")  # totals counted once per index version
    tt = []
    for i in range(args.runs):
        _, ms = timed(trend, arch, TRIPLES[i % len(TRIPLES)], split="country", unit="paragraphs")
        tt.append(ms)
    print(f"trend (3 queries x year x country, paragraphs): p50 {pct(tt, 50):.0f} ms, p95 {pct(tt, 95):.0f} ms "
          f"over {len(tt)} calls")

    # -- keyness ------------------------------------------------------------------------------------
    kt = []
    for c in COUNTRIES:
        k, ms = timed(keyness, arch, f"country:{c}", tc=tc)
        kt.append(ms)
    print(f"keyness (country vs rest, words): p50 {pct(kt, 50):.0f} ms, p95 {pct(kt, 95):.0f} ms over "
          f"{len(kt)} countries; e.g. {COUNTRIES[-1]}: {[i.item for i in k.key_a[:8]]}")

    # -- collocates ---------------------------------------------------------------------------------
    ct = []
    for _ in range(5):
        co, ms = timed(collocates, arch, "peace", tc=tc)
        ct.append(ms)
    print(f"collocates of 'peace' ({co.occurrences:,} occurrences, window 5/5): p50 {pct(ct, 50):.0f} ms, "
          f"p95 {pct(ct, 95):.0f} ms; top {[c.word for c in co.collocates[:8]]}")

    # -- concordance export -------------------------------------------------------------------------
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"analysis-bench-{os.getpid()}.tsv"
    samples = []
    n = 0

    def sampled(rows):  # type: ignore[no-untyped-def]
        nonlocal n
        for r in rows:
            n += 1
            if n % 10_000 == 0:
                samples.append(round(rss_mb()))
            yield r

    t0 = time.perf_counter()
    with open(out, "w", encoding="utf-8") as f:
        write_tsv(sampled(concordance(arch, "peace", limit=args.kwic)), f)
    kw_ms = (time.perf_counter() - t0) * 1000
    size = out.stat().st_size
    out.unlink()
    print(f"kwic export, streamed: {n:,} lines ({size / 1e6:.1f} MB) in {kw_ms / 1000:.1f} s; RSS every 10,000 "
          f"lines (MB): {samples}")
    despatch_peak = peak_mb()
    print(f"peak RSS of the Despatch part: {despatch_peak:.0f} MB")

    if args.skip_baseline:
        return
    # -- baselines ----------------------------------------------------------------------------------
    before = rss_mb()
    t0 = time.perf_counter()
    held = list(concordance(arch, "peace", limit=args.kwic))
    print(f"baseline kwic, collected in a list first: {len(held):,} lines in {time.perf_counter() - t0:.1f} s; "
          f"RSS grew {rss_mb() - before:.0f} MB")
    del held
    scan(arch, tc, tt, kt, ct)


def build_lines(work: Path, corpus: Path) -> str:
    """DIR/lines.db: every UN speech, each non-empty line a paragraph (benchmarks/search.py's builder)."""
    db = work / "lines.db"
    if (work / "lines.done").exists():
        return str(db)
    import importlib.util
    import tarfile

    spec = importlib.util.spec_from_file_location("search_bench", Path(__file__).with_name("search.py"))
    sb = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(sb)  # type: ignore[union-attr]
    work.mkdir(parents=True, exist_ok=True)
    texts = work / "corpus"
    if not texts.exists():
        with tarfile.open(corpus) as tf:
            tf.extractall(texts, filter="data")
    la = sb.line_archive(open_archive(work / "scratch.db"), work, texts)
    la.close()
    (work / "lines.done").write_text("ok\n")
    return str(db)


def scan(arch, tc, tt, kt, ct) -> None:  # type: ignore[no-untyped-def]
    """One read of every paragraph, with the three straightforward computations timed separately."""
    rx = [re.compile(r"\bpeaceful\s+coexistence\b", re.I), re.compile(r"\bdisarmament\b", re.I),
          re.compile(r"\bcolonialism\b", re.I)]
    read = t_trend = t_key = t_coll = 0.0
    trend_counts: Counter[tuple[int, str, str]] = Counter()
    total: Counter[str] = Counter()
    country_words: Counter[str] = Counter()
    coll: Counter[str] = Counter()
    from despatch.search.index import paragraph_units

    keys = [int(k) for k in tc.doc_keys]
    t = time.perf_counter()
    for _key, doc in arch.iter_keyed(keys, annotation_types=()):
        units = paragraph_units(doc.text, [(s.type, s.start, s.end) for s in doc.structure])
        texts = [doc.text[s:e] for s, e, _ in units]
        country = doc.metadata.get("country", "")
        year = doc.date.start[:4] if doc.date else ""
        t1 = time.perf_counter()
        read += t1 - t
        for p in texts:
            for i, r in enumerate(rx):
                if r.search(p):
                    trend_counts[(i, year, country)] += 1
        t2 = time.perf_counter()
        t_trend += t2 - t1
        words_by_para = [WORD.findall(p.lower()) for p in texts]
        for ws in words_by_para:
            total.update(ws)
            if country == "RUS":
                country_words.update(ws)
        t3 = time.perf_counter()
        t_key += t3 - t2
        for ws in words_by_para:
            for j, w in enumerate(ws):
                if w == "peace":
                    coll.update(ws[max(0, j - 5):j] + ws[j + 1:j + 6])
        t = time.perf_counter()
        t_coll += t - t3
    t4 = time.perf_counter()
    n_a = sum(country_words.values())
    n_b = sum(total.values()) - n_a
    g2 = {}
    for w, a in country_words.items():
        b = total[w] - a
        e1, e2 = n_a * (a + b) / (n_a + n_b), n_b * (a + b) / (n_a + n_b)
        g2[w] = 2 * (a * math.log(a / e1) + (b * math.log(b / e2) if b else 0))
    t_key += time.perf_counter() - t4
    for name, part, ours in (("trend", t_trend, tt), ("keyness", t_key, kt), ("collocates", t_coll, ct)):
        base = (read + part) * 1000
        print(f"baseline {name} (scan over the texts: read {read:.1f} s + compute {part:.1f} s): {base / 1000:.1f} s"
              f" vs Despatch p50 {pct(ours, 50):.0f} ms: ratio {base / pct(ours, 50):.0f}x")


if __name__ == "__main__":
    main()
