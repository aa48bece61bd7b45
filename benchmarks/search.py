"""Search benchmark: Despatch search vs bare SQLite FTS5 and bare tantivy, on the full UN corpus.

    .venv/bin/python benchmarks/search.py [--corpus ../shared/corpus/ungdc/ungdc-1946-2024.tar.xz]
                                         [--work /tmp/despatch-bench-search] [--repeat 3]

Ingests the corpus (one ingest gives the document and the paragraph index), builds the two baselines on
exactly the same texts (documents, and the same non-empty paragraphs), runs a fixed mix of queries at
both levels and prints p50/p95 side by side with ratios, and index sizes against the raw text.

* Despatch: `archive.search(q, by=level, per_page=20)`: top 20 with all ten facets and snippets.
* bare FTS5: `... WHERE t MATCH ? ORDER BY rank LIMIT 20` with `snippet()` (porter unicode61
  remove_diacritics 2, text stored in the FTS table), joined to a metadata table for field/date queries.
* bare tantivy: the `en_stem` tokenizer and tantivy's own query parser, top 20, no facets or snippets.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import statistics
import sys
import tarfile
import time
import unicodedata
from pathlib import Path

import tantivy
from corpus import CORPUS, need

from despatch.ingest import IngestOptions, ingest
from despatch.model import DocDate, Document, Span
from despatch.store import open_archive
from despatch.store.base import StoredFile

# (Despatch query, FTS5 MATCH, FTS5 metadata condition, tantivy query) — same meaning in each.
QUERIES: list[tuple[str, str, str, str]] = [
    # single words
    ("disarmament", "disarmament", "", "disarmament"),
    ("colonialism", "colonialism", "", "colonialism"),
    ("apartheid", "apartheid", "", "apartheid"),
    ("refugees", "refugees", "", "refugees"),
    ("Palestine", "palestine", "", "palestine"),
    ("Korea", "korea", "", "korea"),
    ("Congo", "congo", "", "congo"),
    ("terrorism", "terrorism", "", "terrorism"),
    ("Suez", "suez", "", "suez"),
    ("decolonization", "decolonization", "", "decolonization"),
    ("Hammarskjold", "hammarskjold", "", "hammarskjold"),
    ("nuclear", "nuclear", "", "nuclear"),
    # common words
    ("the", "the", "", "the"),
    ("nations", "nations", "", "nations"),
    ("united", "united", "", "united"),
    ("peace", "peace", "", "peace"),
    ("international", "international", "", "international"),
    ("development", "development", "", "development"),
    ("world", "world", "", "world"),
    ("people", "people", "", "people"),
    ("security council", "security council", "", "+security +council"),
    ("we must", "we must", "", "+we +must"),
    # phrases
    ('"peaceful coexistence"', '"peaceful coexistence"', "", '"peaceful coexistence"'),
    ('"cold war"', '"cold war"', "", '"cold war"'),
    ('"human rights"', '"human rights"', "", '"human rights"'),
    (
        '"new international economic order"',
        '"new international economic order"',
        "",
        '"new international economic order"',
    ),
    ('"climate change"', '"climate change"', "", '"climate change"'),
    ('"iron curtain"', '"iron curtain"', "", '"iron curtain"'),
    ('"self-determination"', '"self determination"', "", '"self determination"'),
    ('"weapons of mass destruction"', '"weapons of mass destruction"', "", '"weapons of mass destruction"'),
    ('"the united nations"', '"the united nations"', "", '"the united nations"'),
    ('"nuclear weapons"~3', "NEAR(nuclear weapons, 3)", "", '"nuclear weapons"~3'),
    # boolean
    ("apartheid AND sanctions", "apartheid AND sanctions", "", "+apartheid +sanctions"),
    ("Israel OR Palestine", "israel OR palestine", "", "israel palestine"),
    ("Cuba -missile", "cuba NOT missile", "", "+cuba -missile"),
    ("(Vietnam OR Cambodia) AND refugees", "(vietnam OR cambodia) AND refugees", "", "+(vietnam cambodia) +refugees"),
    ("peace NOT war", "peace NOT war", "", "+peace -war"),
    ("disarm* nuclear", "disarm* nuclear", "", "+disarm* +nuclear"),
    (
        'Namibia AND independence AND (SWAPO OR "South West Africa")',
        'namibia AND independence AND (swapo OR "south west africa")',
        "",
        '+namibia +independence +(swapo "south west africa")',
    ),
    ("Afghanistan AND (Soviet OR USSR)", "afghanistan AND (soviet OR ussr)", "", "+afghanistan +(soviet ussr)"),
    # fields
    ("country:USA communism", "communism", "country='USA'", "+country:USA +communism"),
    ("country:RUS imperialism", "imperialism", "country='RUS'", "+country:RUS +imperialism"),
    ("country:FRA Algeria", "algeria", "country='FRA'", "+country:FRA +algeria"),
    ("country:IND peace", "peace", "country='IND'", "+country:IND +peace"),
    ("session:15 Congo", "congo", "session='15'", "+session:15 +congo"),
    ("country:CHN Taiwan", "taiwan", "country='CHN'", "+country:CHN +taiwan"),
    ("country:GBR", "", "country='GBR'", "country:GBR"),
    # date ranges
    ("year:1956 Hungary", "hungary", "year=1956", "+year:1956 +hungary"),
    ("date:1960..1969 Vietnam", "vietnam", "year BETWEEN 1960 AND 1969", "+year:[1960 TO 1969] +vietnam"),
    ("after:1990 globalization", "globalization", "year > 1990", "+year:{1990 TO *} +globalization"),
    ("before:1960 atomic", "atomic", "year < 1960", "+year:[* TO 1960} +atomic"),
    (
        "date:1989..1991 Germany reunification",
        "germany reunification",
        "year BETWEEN 1989 AND 1991",
        "+year:[1989 TO 1991] +germany +reunification",
    ),
    ("year:2001 terrorism", "terrorism", "year=2001", "+year:2001 +terrorism"),
    ("date:1970..1979 peace", "peace", "year BETWEEN 1970 AND 1979", "+year:[1970 TO 1979] +peace"),
    ("year:1975", "", "year=1975", "year:1975"),
]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def dir_size(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) if p.is_dir() else p.stat().st_size


def baseline_schema() -> tantivy.Schema:
    """The bare tantivy baseline's fields: an id, the stemmed text, country, session and year (scale.py's too)."""
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("id", fast=True)
    sb.add_text_field("text", tokenizer_name="en_stem")
    sb.add_text_field("country", tokenizer_name="raw")
    sb.add_text_field("session", tokenizer_name="raw")
    sb.add_integer_field("year", indexed=True, fast=True)
    return sb.build()


def build_baselines(arch, work: Path) -> tuple[sqlite3.Connection, dict[str, tantivy.Index], int]:
    fts_path = work / "fts5.db"
    if fts_path.exists():
        fts_path.unlink()
    fts = sqlite3.connect(fts_path, isolation_level=None)
    fts.execute("PRAGMA journal_mode=OFF")
    fts.execute("PRAGMA synchronous=OFF")
    fts.execute("CREATE TABLE meta(rowid INTEGER PRIMARY KEY, country TEXT, session TEXT, year INTEGER)")
    fts.execute("CREATE TABLE pmeta(rowid INTEGER PRIMARY KEY, doc INTEGER)")
    tok = "tokenize='porter unicode61 remove_diacritics 2'"
    fts.execute(f"CREATE VIRTUAL TABLE fts_document USING fts5(text, {tok})")
    fts.execute(f"CREATE VIRTUAL TABLE fts_paragraph USING fts5(text, {tok})")
    tv: dict[str, tantivy.Index] = {}
    writers = {}
    for level in ("document", "paragraph"):
        d = work / f"tantivy-{level}"
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir()
        tv[level] = tantivy.Index(baseline_schema(), path=str(d))
        writers[level] = tv[level].writer(256_000_000, 1)
    fts.execute("BEGIN")
    pid = 0
    for d in arch.index_records(arch.current_keys(), ()):
        md = d.metadata
        year = int(d.date_start[:4]) if d.date_start else None
        country, session = str(md.get("country", "")), str(md.get("session", ""))
        fts.execute("INSERT INTO meta VALUES (?,?,?,?)", (d.key, country, session, year))
        fts.execute("INSERT INTO fts_document(rowid, text) VALUES (?,?)", (d.key, d.text))
        writers["document"].add_document(_tdoc(d.key, d.text, country, session, year))
        for s, e, _t in d.paragraphs():
            pid += 1
            body = d.text[s:e]
            fts.execute("INSERT INTO pmeta VALUES (?,?)", (pid, d.key))
            fts.execute("INSERT INTO fts_paragraph(rowid, text) VALUES (?,?)", (pid, body))
            writers["paragraph"].add_document(_tdoc(pid, body, country, session, year))
    fts.execute("COMMIT")
    fts.execute("INSERT INTO fts_document(fts_document) VALUES ('optimize')")
    fts.execute("INSERT INTO fts_paragraph(fts_paragraph) VALUES ('optimize')")
    for w in writers.values():
        w.commit()
        w.wait_merging_threads()
    for ix in tv.values():
        ix.reload()
    return fts, tv, pid


def line_archive(arch, work: Path, corpus: Path):
    """A second archive of the same speeches whose paragraphs are the files' non-empty lines.

    The plain-text reader joins hard-wrapped lines into paragraphs (about 219,000 spans); the issue's
    scale, 1.55 million paragraphs, counts non-empty lines. Each file becomes one document whose text is
    its non-empty lines (NFC, one "\n" between them), each line a paragraph span, with the reader's
    metadata (country, session, year; a year-precision date).
    """
    path = work / "lines.db"
    for p in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        p.unlink(missing_ok=True)
    shutil.rmtree(str(path) + ".search", ignore_errors=True)
    t0 = time.perf_counter()
    la = open_archive(path)
    batch: list[Document] = []
    n = 0
    for f in sorted(corpus.rglob("*.txt")):
        parts = f.stem.split("_")
        if len(parts) != 3 or not parts[2].isdigit():
            continue
        raw = f.read_bytes().decode("utf-8", errors="replace")
        lines = [" ".join(x.split()) for x in unicodedata.normalize("NFC", raw).splitlines()]
        lines = [x for x in lines if x]
        text = "\n".join(lines)
        spans, pos = [], 0
        for x in lines:
            spans.append(Span("paragraph", pos, pos + len(x)))
            pos += len(x) + 1
        y = parts[2]
        batch.append(
            Document(
                id=f"lines/{f.stem}",
                collection="ungdc",
                text=text,
                title=f"{parts[0]}, session {int(parts[1])} ({y})",
                date=DocDate(f"{y}-01-01", f"{y}-12-31", "year"),
                language="en",
                structure=spans,
                metadata={"country": parts[0], "session": int(parts[1]), "year": int(y)},
            )
        )
        if len(batch) == 500:
            n += 1
            la.put(StoredFile(f"lines-{n}", hashlib.sha256(str(n).encode()).hexdigest(), 0, "txt", b""), "ungdc", batch)
            batch = []
    if batch:
        la.put(StoredFile("lines-last", hashlib.sha256(b"last").hexdigest(), 0, "txt", b""), "ungdc", batch)
    t1 = time.perf_counter()
    la.sync_search()
    print(f"line-paragraph archive: stored in {t1 - t0:.0f} s, search index {time.perf_counter() - t1:.0f} s")
    arch.close()
    return la


def _tdoc(key: int, text: str, country: str, session: str, year: int | None) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_unsigned("id", key)
    doc.add_text("text", text)
    doc.add_text("country", country)
    doc.add_text("session", session)
    doc.add_integer("year", year or 0)
    return doc


def run_fts(fts: sqlite3.Connection, level: str, match: str, where: str) -> None:
    table = f"fts_{level}"
    join = (
        "JOIN meta m ON m.rowid = f.rowid"
        if level == "document"
        else ("JOIN pmeta p ON p.rowid = f.rowid JOIN meta m ON m.rowid = p.doc")
    )
    if match:
        sql = (
            f"SELECT f.rowid, snippet({table}, 0, '[', ']', '…', 12) FROM {table} f {join} "
            f"WHERE {table} MATCH ? {'AND ' + where if where else ''} ORDER BY rank LIMIT 20"
        )
        fts.execute(sql, (match,)).fetchall()
    else:
        if level == "document":
            sql = f"SELECT m.rowid FROM meta m WHERE {where} ORDER BY m.rowid LIMIT 20"
        else:
            sql = f"SELECT p.rowid FROM pmeta p JOIN meta m ON m.rowid = p.doc WHERE {where} ORDER BY p.rowid LIMIT 20"
        fts.execute(sql).fetchall()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(CORPUS / "ungdc" / "ungdc-1946-2024.tar.xz"),
                    help="the UN General Debate tar, or a folder of its speeches (e.g. .../ungdc/sessions)")
    ap.add_argument("--work", default="/tmp/despatch-bench-search")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--reuse", action="store_true", help="Reuse an archive already ingested in --work.")
    ap.add_argument(
        "--units",
        choices=["lines", "spans"],
        default="lines",
        help="Paragraph units: every non-empty line of the source files (1.55 million, the scale the issue "
        "sets), or the reader's paragraph spans (it joins hard-wrapped lines: about 219,000).",
    )
    args = ap.parse_args()
    if not args.reuse:
        need(args.corpus, "--corpus PATH")
    work = Path(args.work)
    db = work / "archive.db"
    if not args.reuse:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    arch = open_archive(db)
    if not args.reuse:
        corpus = args.corpus
        if ".tar" in Path(corpus).name:
            # Unpacked once, in stream order: reading members of a .tar.xz in sorted order re-decompresses
            # the stream from its start for each one (slow in `despatch ingest` at the time of writing).
            t0 = time.perf_counter()
            out = work / "corpus"
            with tarfile.open(corpus) as tf:
                tf.extractall(out, filter="data")
            corpus = str(out)
            print(f"unpacked {args.corpus} in {time.perf_counter() - t0:.0f} s")
        t0 = time.perf_counter()
        summary = ingest(arch, [corpus], IngestOptions(name_pattern="{country}_{session}_{year}", enrich=False))
        t_read = time.perf_counter() - t0
        t1 = time.perf_counter()
        arch.sync_search()
        t_index = time.perf_counter() - t1
        print(
            f"ingest: {summary.files} files, {summary.documents_added} documents, {summary.failed} failed; "
            f"store {t_read:.0f} s, search index {t_index:.0f} s"
        )
    else:
        arch.sync_search()
    if args.units == "lines":
        corpus_dir = work / "corpus" if (work / "corpus").exists() else Path(args.corpus)
        arch = line_archive(arch, work, corpus_dir)
    docs, raw = arch.conn.execute(
        "SELECT count(*), sum(length(CAST(text AS BLOB))) FROM documents WHERE is_current=1"
    ).fetchone()
    t0 = time.perf_counter()
    fts, tv, paras = build_baselines(arch, work)
    print(f"baselines built in {time.perf_counter() - t0:.0f} s: {docs} documents, {paras} non-empty paragraphs")

    ours_size = arch.search_index.size_bytes()
    fts.close()
    fts_size = (work / "fts5.db").stat().st_size
    fts = sqlite3.connect(work / "fts5.db")
    fts.execute("PRAGMA cache_size=-65536")
    tv_size = dir_size(work / "tantivy-document") + dir_size(work / "tantivy-paragraph")
    mb = 1e6
    print(f"\nraw text: {raw / mb:.1f} MB (UTF-8, {docs} documents)")
    print("index size, document + paragraph level (ratio to raw text):")
    print(f"  despatch (tantivy, derived)      {ours_size / mb:8.1f} MB  {ours_size / raw:5.2f}x")
    print(f"  bare FTS5 (with its text copy)   {fts_size / mb:8.1f} MB  {fts_size / raw:5.2f}x")
    print(f"  bare tantivy (no stored text)    {tv_size / mb:8.1f} MB  {tv_size / raw:5.2f}x")

    print(f"\n{len(QUERIES)} queries x {args.repeat} runs per level; top 20. Despatch: with 10 facets and snippets.")
    for level in ("document", "paragraph"):
        times: dict[str, list[float]] = {"despatch": [], "fts5": [], "tantivy": []}
        first: list[float] = []  # Despatch's first run of each query: word forms not yet cached
        worst: list[tuple[float, str]] = []
        ix = tv[level]
        searcher = ix.searcher()
        parsed = [ix.parse_query(t, ["text"]) for _, _, _, t in QUERIES]
        for rep in range(args.repeat + 1):  # the first round warms the caches and is not counted
            for (ours, match, where, _t), tq in zip(QUERIES, parsed, strict=True):
                a = time.perf_counter()
                res = arch.search(ours, by=level, per_page=20)
                b = time.perf_counter()
                run_fts(fts, level, match, where)
                c = time.perf_counter()
                searcher.search(tq, 20)
                d = time.perf_counter()
                if not rep:
                    first.append((b - a) * 1000)
                else:
                    times["despatch"].append((b - a) * 1000)
                    times["fts5"].append((c - b) * 1000)
                    times["tantivy"].append((d - c) * 1000)
                    worst.append(((b - a) * 1000, f"{ours} ({res.total} hits)"))
        print(f"\n{level} level")
        print(f"  {'':10} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}   p50/p95 ratio to despatch")
        o50, o95 = statistics.median(times["despatch"]), pct(times["despatch"], 95)
        for name, xs in times.items():
            p50, p95 = statistics.median(xs), pct(xs, 95)
            ratio = "" if name == "despatch" else f"   {p50 / o50:6.2f}x / {p95 / o95:6.2f}x"
            print(f"  {name:10} {p50:9.2f} {p95:9.2f} {max(xs):9.2f}{ratio}")
        label = "despatch, first run of each query"
        print(f"  {label:34} p50 {statistics.median(first):.2f}  p95 {pct(first, 95):.2f}")
        worst.sort(reverse=True)
        print("  slowest despatch queries: " + "; ".join(f"{q} {t:.0f} ms" for t, q in worst[:5]))
    arch.close()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
