"""Scale benchmark: how every cost of Despatch grows from 1x to 10x the UN General Debate corpus.

    nice -n 10 python benchmarks/scale.py [--sizes 1,3,10] [--work ../data/scale] [--no-enrich-at 10]
                                          [--requests 400] [--repeat 3] [--table-only]

Material. The UN tar (10,952 speeches) is read once, as a stream, and written as up to N copies (N the largest
size): copy 0 is the corpus itself (folder `ungdc`), copy c its speeches again in folder `ungdc-copyc` with the
country code suffixed (`USA` -> `USA3`), the session and the year shifted by 100*c (1953 -> 2253, so no
session-year flag), and one closing line naming the copy (so no two files share their bytes). Size s is
ingested as copies 0..s-1, so its ids, collections, countries and years are all its own: field and date
queries keep their selectivity while word queries match s times as many paragraphs. In every copy the
speech's non-empty lines are separated by blank lines, so each line is one paragraph to the plain-text
reader: 1.55 M paragraphs at 1x, 15.5 M at 10x (the scale issue 19 states; without this the reader joins
hard-wrapped lines into about 219,000 paragraphs).

At each size, side by side in one run:

* ingest `--no-enrich` (store, original bytes, spans, search index) and, where not skipped, the default
  ingest with enrichment (a second archive, deleted once measured): seconds and peak RSS of the process tree;
  baseline: a bare SQLite FTS5 bulk load of the same files (read, decode, one insert each, one transaction);
* archive and search-index size on disk, against the raw text;
* search (in a fresh process, on the `--no-enrich` archive): p50/p95 of the query mix of
  `benchmarks/search.py` at paragraph and document level (top 20 with the ten facets and snippets), the
  first run with the archive's and index's pages evicted from the OS cache (posix_fadvise DONTNEED) and
  then `--repeat` warm runs; baseline: bare tantivy (en_stem, top 20, no facets or snippets) built from
  the same lines, queried on the same queries in the same loop;
* the reading room: `despatch serve --workers 2`, 8 clients, search and document pages: p95 and errors;
* `despatch reindex`: seconds, peak RSS;
* `despatch export` of everything (jsonl): seconds, peak RSS, bytes.

Then a table with one row per figure, a column per size, the growth exponent k (least-squares slope of
log(figure) against log(size)) and whether the target of issue 19 is met. Results are also saved per size
in `--work/results-<size>.json`; `--table-only` prints the table from them without measuring.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import time
import unicodedata
import urllib.parse
from pathlib import Path

from corpus import CORPUS, need
from ingest import _measure as _measure_wall
from ingest import fts5_insert

ROOT = Path(__file__).resolve().parent.parent
PATTERN = "{country}_{session}_{year}"
DESPATCH = [sys.executable, "-m", "despatch"]


# ---------------------------------------------------------------------------------------------- material


def _measure(cmd: list[str]) -> tuple[float, int, int, float]:
    """(seconds, peak RSS of the process tree, exit code, CPU-seconds of the tree: user + system of every
    process in it, which a loaded machine inflates far less than the wall time)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t, rss, rc = _measure_wall(cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return t, rss, rc, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def copy_dir(root: Path, c: int) -> Path:
    return root / ("ungdc" if c == 0 else f"ungdc-copy{c}")


def generate(tar: Path, root: Path, copies: int) -> None:
    """Write `copies` copies of the corpus under `root`, reading the tar once as a stream (one speech in
    memory at a time). Done once; a marker file records how many copies are complete."""
    marker = root / "copies.json"
    if marker.exists() and json.loads(marker.read_text())["copies"] >= copies:
        return
    shutil.rmtree(root, ignore_errors=True)
    for c in range(copies):
        copy_dir(root, c).mkdir(parents=True)
    t0 = time.perf_counter()
    n = 0
    with tarfile.open(tar, "r|xz") as tf:
        for m in tf:
            name = Path(m.name).name
            if not m.isfile() or name.startswith(".") or not name.endswith(".txt"):
                continue
            parts = name[:-4].split("_")
            if len(parts) != 3 or not (parts[1].isdigit() and parts[2].isdigit()):
                continue
            raw = tf.extractfile(m).read().decode("utf-8-sig", errors="replace")  # type: ignore[union-attr]
            lines = [x.strip() for x in raw.splitlines()]
            body = "\n\n".join(x for x in lines if x) + "\n"
            country, session, year = parts[0], int(parts[1]), int(parts[2])
            for c in range(copies):
                if c == 0:
                    fname, text = name, body
                else:
                    fname = f"{country}{c}_{session + 100 * c:02d}_{year + 100 * c}.txt"
                    text = body + f"\n(Copy {c} of the UN General Debate corpus, for the scale benchmark.)\n"
                (copy_dir(root, c) / fname).write_text(text, encoding="utf-8")
            n += 1
    marker.write_text(json.dumps({"copies": copies, "speeches": n}))
    print(f"generated {copies} copies of {n} speeches in {time.perf_counter() - t0:.0f} s under {root}", flush=True)


def files_of(root: Path, size: int) -> list[Path]:
    return [f for c in range(size) for f in sorted(copy_dir(root, c).iterdir())]


def disk(p: Path) -> int:
    if p.is_dir():
        return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
    return p.stat().st_size if p.exists() else 0


def archive_bytes(db: Path) -> tuple[int, int]:
    """(archive: the SQLite file with its -wal/-shm, search index: the derived folder beside it)."""
    a = sum(disk(Path(str(db) + s)) for s in ("", "-wal", "-shm"))
    return a, disk(Path(str(db) + ".search"))


def remove_archive(db: Path) -> None:
    for s in ("", "-wal", "-shm"):
        Path(str(db) + s).unlink(missing_ok=True)
    for extra in db.parent.glob(db.name + ".*"):
        shutil.rmtree(extra, ignore_errors=True) if extra.is_dir() else extra.unlink()


def evict(*paths: Path) -> None:
    """Drop these files' pages from the OS cache (no root needed), so the next read is from disk."""
    for p in paths:
        for f in ([p] if p.is_file() else [x for x in p.rglob("*") if x.is_file()] if p.is_dir() else []):
            try:
                fd = os.open(f, os.O_RDONLY)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


# ---------------------------------------------------------------------------------------------- baselines


def fts5_load(files: list[Path], db: Path) -> tuple[float, float]:
    """Bare FTS5: read, decode, insert every text in one transaction (as benchmarks/ingest.py).
    (seconds, CPU-seconds)."""
    db.unlink(missing_ok=True)
    c0 = time.process_time()
    t0 = time.perf_counter()
    fts5_insert(files, db)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    db.unlink(missing_ok=True)
    return dt, cpu


def tantivy_build(files: list[Path], out: Path) -> tuple[float, float]:
    """Bare tantivy, document and paragraph level, from the same files: paragraphs are the non-empty lines
    (whitespace collapsed, NFC) as in Despatch; fields country, session, year from the name."""
    import tantivy
    from search import baseline_schema

    shutil.rmtree(out, ignore_errors=True)
    c0 = time.process_time()
    t0 = time.perf_counter()
    writers, indexes = {}, {}
    for level in ("document", "paragraph"):
        (out / level).mkdir(parents=True)
        indexes[level] = tantivy.Index(baseline_schema(), path=str(out / level))
        writers[level] = indexes[level].writer(300_000_000, 1)
    pid = 0

    def tdoc(key: int, text: str, country: str, session: str, year: int):
        d = tantivy.Document()
        d.add_unsigned("id", key)
        d.add_text("text", text)
        d.add_text("country", country)
        d.add_text("session", session)
        d.add_integer("year", year)
        return d

    for key, f in enumerate(files):
        country, session, year = f.stem.split("_")
        session = str(int(session))
        raw = unicodedata.normalize("NFC", f.read_text(encoding="utf-8"))
        lines = [" ".join(x.split()) for x in raw.splitlines()]
        lines = [x for x in lines if x]
        writers["document"].add_document(tdoc(key, "\n".join(lines), country, session, int(year)))
        for x in lines:
            pid += 1
            writers["paragraph"].add_document(tdoc(pid, x, country, session, int(year)))
    for w in writers.values():
        w.commit()
        w.wait_merging_threads()
    return time.perf_counter() - t0, time.process_time() - c0


# ---------------------------------------------------------------------------------------------- search


def search_child(db: Path, tv: Path, repeat: int) -> dict:
    """Runs in a fresh process: the query mix at both levels, first run (pages evicted) and warm."""
    import tantivy
    from search import QUERIES, pct

    from despatch.store import open_archive

    evict(db, Path(str(db) + "-wal"), Path(str(db) + ".search"), tv)
    out: dict = {}
    arch = open_archive(db, readonly=True)
    try:
        for level in ("paragraph", "document"):
            ix = tantivy.Index.open(str(tv / level))
            ix.reload()
            searcher = ix.searcher()
            parsed = [ix.parse_query(t, ["text"]) for _, _, _, t in QUERIES]
            ours: dict[str, list[float]] = {"first": [], "warm": [], "cpu": []}
            bare: dict[str, list[float]] = {"first": [], "warm": []}
            per_query: dict[str, list[float]] = {}
            for rep in range(repeat + 1):
                key = "first" if rep == 0 else "warm"
                for (q, _m, _w, _t), tq in zip(QUERIES, parsed, strict=True):
                    a, ca = time.perf_counter(), time.process_time()
                    arch.search(q, by=level, per_page=20)
                    b, cb = time.perf_counter(), time.process_time()
                    searcher.search(tq, 20)
                    c = time.perf_counter()
                    ours[key].append((b - a) * 1000)
                    if rep:
                        ours["cpu"].append((cb - ca) * 1000)
                    bare[key].append((c - b) * 1000)
                    if rep:
                        per_query.setdefault(q, []).append((b - a) * 1000)
            slow = sorted(((statistics.median(v), q) for q, v in per_query.items()), reverse=True)[:5]
            out[level] = {
                "p50": statistics.median(ours["warm"]), "p95": pct(ours["warm"], 95),
                "cpu_p50": statistics.median(ours["cpu"]), "cpu_p95": pct(ours["cpu"], 95),
                "first_p50": statistics.median(ours["first"]), "first_p95": pct(ours["first"], 95),
                "tv_p50": statistics.median(bare["warm"]), "tv_p95": pct(bare["warm"], 95),
                "tv_first_p95": pct(bare["first"], 95),
                "slowest": [[q, round(t, 1)] for t, q in slow],
                "the_united_nations": statistics.median(per_query['"the united nations"']),
            }
    finally:
        arch.close()
    return out


# ---------------------------------------------------------------------------------------------- reading room


def reading_room(db: Path, port: int, requests: int) -> dict:
    from web import QUERIES as WEB_QUERIES
    from web import run_load

    # 300 documents at random. Not web.doc_ids: `Archive.list(offset=N)` reads the text of the N documents it
    # skips (its length(text) column), minutes at 1x for 300 offsets; see benchmarks/RESULTS.md.
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    all_ids = [r[0] for r in con.execute("SELECT id FROM documents WHERE is_current=1 ORDER BY id")]
    con.close()
    ids = random.Random(7).sample(all_ids, min(300, len(all_ids)))
    env = dict(os.environ, DESPATCH_ARCHIVE=str(db))
    proc = subprocess.Popen([*DESPATCH, "serve", "--port", str(port), "--workers", "2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 300
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"the server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/static/app.css")
                c.getresponse().read()
                break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.3)
        pages = {
            "search": ["/?" + urllib.parse.urlencode({"q": q}) for q in WEB_QUERIES],
            "document": ["/documents/" + urllib.parse.quote(i, safe="/") for i in ids],
        }
        run_load(port, pages["search"] + pages["document"][:60], 2, len(WEB_QUERIES) + 60)  # warm-up
        res = {}
        for name, urls in pages.items():
            r = run_load(port, urls, 8, requests)
            res[name] = {k: r[k] for k in ("p50", "p95", "rps", "errors", "n")}
        return res
    finally:
        proc.terminate()
        proc.wait(timeout=60)


# ---------------------------------------------------------------------------------------------- one size


def measure_size(size: int, root: Path, work: Path, args) -> dict:
    """Every figure at one size. Each step's figures are saved as it ends (`results-<size>.partial.json`);
    with `--resume` the steps already done are skipped (the archive must still be there)."""
    files = files_of(root, size)
    paths = [str(copy_dir(root, c)) for c in range(size)]
    here = work / f"x{size}"
    here.mkdir(parents=True, exist_ok=True)
    db = here / "archive.db"
    partial = work / f"results-{size}.partial.json"
    r: dict = {}
    if args.resume and partial.exists() and db.exists():
        r = json.loads(partial.read_text())
    if not r:
        r = {"size": size, "files": len(files), "raw_bytes": sum(f.stat().st_size for f in files),
             "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load_start": os.getloadavg(), "loads": {}}

    def log(msg: str) -> None:
        print(f"[{size}x {time.strftime('%H:%M:%S')}] {msg}", flush=True)

    def done(step: str) -> None:
        r["loads"][step] = os.getloadavg()
        partial.write_text(json.dumps(r, indent=1))

    if "fts5_load_s" not in r:
        r["fts5_load_s"], r["fts5_load_cpu"] = fts5_load(files, here / "fts5.db")
        log(f"bare FTS5 load {r['fts5_load_s']:.1f} s ({r['fts5_load_cpu']:.1f} CPU-s)")
        done("fts5")

    if "ingest_s" not in r:
        remove_archive(db)
        t, rss, rc, cpu = _measure([*DESPATCH, "--archive", str(db), "ingest", "-q", "-j", "2", "--name-pattern",
                                    PATTERN, "--no-enrich", *paths])
        r.update(ingest_s=t, ingest_rss=rss, ingest_rc=rc, ingest_cpu=cpu)
        r["archive_bytes"], r["index_bytes"] = archive_bytes(db)
        log(f"ingest --no-enrich {t:.1f} s ({cpu:.0f} CPU-s), peak RSS {rss / 2**20:.0f} MB, exit {rc}; "
            f"archive {r['archive_bytes'] / 1e9:.2f} GB, index {r['index_bytes'] / 1e9:.2f} GB")
        done("ingest")

    if size not in args.no_enrich_at and "enrich_s" not in r:
        edb = here / "enriched.db"
        remove_archive(edb)
        t, rss, rc, cpu = _measure([*DESPATCH, "--archive", str(edb), "ingest", "-q", "-j", "2", "--name-pattern",
                                    PATTERN, *paths])
        r.update(enrich_s=t, enrich_rss=rss, enrich_rc=rc, enrich_cpu=cpu)
        r["enriched_archive_bytes"], r["enriched_index_bytes"] = archive_bytes(edb)
        remove_archive(edb)
        log(f"ingest with enrichment {t:.1f} s ({cpu:.0f} CPU-s), peak RSS {rss / 2**20:.0f} MB, exit {rc}")
        done("enrich")

    if "search" not in r:
        tv = here / "tantivy"
        r["tantivy_build_s"], r["tantivy_build_cpu"] = tantivy_build(files, tv)
        r["tantivy_bytes"] = disk(tv)
        log(f"bare tantivy built in {r['tantivy_build_s']:.1f} s")
        p = subprocess.run([sys.executable, __file__, "_search", str(db), str(tv), str(args.repeat)],
                           capture_output=True, text=True)
        if p.returncode:
            sys.stderr.write(p.stderr[-3000:])
            raise SystemExit("the search run failed")
        r["search"] = json.loads(p.stdout.strip().splitlines()[-1])
        for level in ("paragraph", "document"):
            s = r["search"][level]
            log(f"search {level}: p50 {s['p50']:.1f} p95 {s['p95']:.1f} ms (first p95 {s['first_p95']:.1f}); "
                f"bare tantivy p95 {s['tv_p95']:.2f} ms; slowest {s['slowest'][:3]}")
        shutil.rmtree(tv, ignore_errors=True)
        done("search")

    if "web" not in r:
        r["web"] = reading_room(db, args.port, args.requests)
        log(f"reading room, 8 clients, --workers 2: {r['web']}")
        done("web")

    if "reindex_s" not in r:
        t, rss, rc, cpu = _measure([*DESPATCH, "--archive", str(db), "reindex"])
        r.update(reindex_s=t, reindex_rss=rss, reindex_rc=rc, reindex_cpu=cpu)
        log(f"reindex {t:.1f} s ({cpu:.0f} CPU-s), peak RSS {rss / 2**20:.0f} MB, exit {rc}")
        done("reindex")

    if "export_s" not in r:
        out = here / "export.jsonl"
        t, rss, rc, cpu = _measure([*DESPATCH, "--archive", str(db), "export", "--format", "jsonl", "-o", str(out)])
        r.update(export_s=t, export_rss=rss, export_rc=rc, export_cpu=cpu, export_bytes=disk(out))
        out.unlink(missing_ok=True)
        log(f"export jsonl {t:.1f} s ({cpu:.0f} CPU-s), peak RSS {rss / 2**20:.0f} MB, "
            f"{r['export_bytes'] / 1e9:.2f} GB, exit {rc}")
        done("export")
    r["load_end"] = os.getloadavg()
    if not args.keep:
        remove_archive(db)
    (work / f"results-{size}.json").write_text(json.dumps(r, indent=1))
    partial.unlink(missing_ok=True)
    return r


# ---------------------------------------------------------------------------------------------- the table


def slope(sizes: list[int], ys: list[float | None]) -> float | None:
    pts = [(math.log(s), math.log(y)) for s, y in zip(sizes, ys, strict=True) if y is not None and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def table(results: list[dict]) -> str:
    results = sorted(results, key=lambda r: r["size"])
    sizes = [r["size"] for r in results]
    by = {r["size"]: r for r in results}
    big, one = max(sizes), by.get(1)
    mb = 2**20

    def g(r: dict, *path):
        for p in path:
            if not isinstance(r, dict) or p not in r:
                return None
            r = r[p]
        return r

    rows: list[tuple[str, list[float | None], str, str]] = []  # label, values, format, target verdict

    def row(label: str, path: tuple, fmt: str = "{:.1f}", scale: float = 1.0, target=None):
        vals = [g(by[s], *path) for s in sizes]
        vals = [None if v is None else v / scale for v in vals]
        rows.append((label, vals, fmt, target(vals) if target else ""))

    def k_le(limit: float):
        def f(vals):
            k = slope(sizes, vals)
            if k is None:
                return ""
            return f"met (k {k:.2f} <= {limit})" if k <= limit else f"MISSED (k {k:.2f} > {limit})"
        return f

    def at(size: int, limit: float, unit: str):
        def f(vals):
            if size not in sizes or vals[sizes.index(size)] is None:
                return f"not measured at {size}x"
            v = vals[sizes.index(size)]
            if v <= limit:
                return f"met at {size}x (<= {limit:g} {unit})"
            return f"MISSED at {size}x: {v:.1f} > {limit:g} {unit} ({v / limit:.2f}x)"
        return f

    def both(*fs):
        return lambda vals: "; ".join(x for x in (f(vals) for f in fs) if x)

    row("documents", ("files",), "{:.0f}")
    row("raw text MB", ("raw_bytes",), "{:.0f}", 1e6)
    row("bare FTS5 load s (baseline)", ("fts5_load_s",))
    row("bare FTS5 load CPU-s (baseline)", ("fts5_load_cpu",))
    row("ingest --no-enrich s", ("ingest_s",), target=k_le(1.05))
    row("ingest --no-enrich CPU-s", ("ingest_cpu",), target=k_le(1.05))
    row("ingest with enrichment s", ("enrich_s",), target=k_le(1.05))
    row("ingest with enrichment CPU-s", ("enrich_cpu",), target=k_le(1.05))
    row("ingest --no-enrich peak RSS MB", ("ingest_rss",), "{:.0f}", mb, both(k_le(0.2), at(big, 1024, "MB")))
    row("ingest enrich peak RSS MB", ("enrich_rss",), "{:.0f}", mb)
    row("archive on disk MB", ("archive_bytes",), "{:.0f}", 1e6, k_le(1.05))
    row("search index on disk MB", ("index_bytes",), "{:.0f}", 1e6, k_le(1.05))
    row("bare tantivy build s (baseline)", ("tantivy_build_s",))
    row("bare tantivy build CPU-s (baseline)", ("tantivy_build_cpu",))
    row("bare tantivy on disk MB", ("tantivy_bytes",), "{:.0f}", 1e6)
    for level, lim in (("paragraph", 30.0), ("document", 60.0)):
        row(f"{level} search p50 ms (warm)", ("search", level, "p50"), "{:.1f}", 1, k_le(0.999))
        row(f"{level} search p95 ms (warm)", ("search", level, "p95"), "{:.1f}", 1,
            both(k_le(0.999), at(10, lim, "ms")))
        row(f"{level} search p95 CPU-ms (warm)", ("search", level, "cpu_p95"), "{:.1f}", 1, k_le(0.999))
        row(f"{level} search p95 ms (first run)", ("search", level, "first_p95"))
        row(f"{level} bare tantivy p95 ms", ("search", level, "tv_p95"), "{:.2f}")
        row(f"{level} bare tantivy p95 ms (first)", ("search", level, "tv_first_p95"), "{:.2f}")
        row(f'{level} "the united nations" ms', ("search", level, "the_united_nations"))
    row("reading room search p95 ms (8 clients)", ("web", "search", "p95"), target=at(10, 150, "ms"))
    row("reading room document p95 ms (8 cl.)", ("web", "document", "p95"), target=at(10, 150, "ms"))
    row("reading room errors", ("web", "search", "errors"), "{:.0f}")
    row("reindex s", ("reindex_s",), target=k_le(1.05))
    row("reindex CPU-s", ("reindex_cpu",), target=k_le(1.05))
    row("reindex peak RSS MB", ("reindex_rss",), "{:.0f}", mb, at(big, 1024, "MB"))
    row("export jsonl s", ("export_s",), target=k_le(1.05))
    row("export jsonl CPU-s", ("export_cpu",), target=k_le(1.05))
    row("export peak RSS MB", ("export_rss",), "{:.0f}", mb, at(big, 1024, "MB"))

    w = 40
    heads = [f"{s}x" + ("*" if by[s].get("partial") else "") for s in sizes]
    lines = [f"{'figure':<{w}}" + "".join(f"{h:>10}" for h in heads) + f"{'k':>7}  target (issue 19)"]
    for label, vals, fmt, verdict in rows:
        k = slope(sizes, vals)
        cells = "".join(f"{'—' if v is None else fmt.format(v):>10}" for v in vals)
        lines.append(f"{label:<{w}}{cells}{'' if k is None else f'{k:7.2f}':>7}  {verdict}")
    # ratios the issue sets at 1x, and the web errors
    if one and "search" in one:
        for level, lim in (("paragraph", 3.0), ("document", 5.0)):
            s = one["search"][level]
            ratio = s["p95"] / s["tv_p95"]
            lines.append(f"1x {level} p95 / bare tantivy p95 = {ratio:.1f}x: "
                         + (f"met (<= {lim:g}x)" if ratio <= lim else f"MISSED (> {lim:g}x, by {ratio / lim:.1f}x)"))
    if one:
        ratio = one["ingest_s"] / one["fts5_load_s"]
        lines.append(f"1x ingest --no-enrich / bare FTS5 load = {ratio:.2f}x: "
                     + ("met (<= 3x)" if ratio <= 3 else f"MISSED (> 3x, by {ratio / 3:.2f}x)"))
        if "enrich_s" in one:
            ratio = one["enrich_s"] / one["ingest_s"]
            lines.append(f"1x ingest with enrichment / without = {ratio:.2f}x: "
                         + ("met (<= 3x)" if ratio <= 3 else f"MISSED (> 3x, by {ratio / 3:.2f}x)"))
    errs = sum((g(r, "web", p, "errors") or 0) for r in results for p in ("search", "document"))
    rcs = [f"{r['size']}x {k}" for r in results
           for k in ("ingest_rc", "enrich_rc", "reindex_rc", "export_rc") if r.get(k)]
    lines.append(f"errors: reading room {errs}; failed commands: {', '.join(rcs) or 'none'}")
    if any(r.get("partial") for r in results):
        lines.append("* interrupted: only the steps it finished (—: not measured)")
    lines.append("load average (1/5/15 min) at the start of each size and after each step: " + "; ".join(
        f"{r['size']}x {'/'.join(f'{x:.1f}' for x in r['load_start'])} -> "
        + ", ".join(f"{k} {v[0]:.1f}" for k, v in r.get("loads", {}).items())
        for r in results))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(CORPUS / "ungdc" / "ungdc-1946-2024.tar.xz"), help="the UN tar")
    ap.add_argument("--sizes", default="1,3,10", help="multiples of the corpus to measure (default 1,3,10)")
    ap.add_argument("--work", default=str(ROOT.parent / "data" / "scale"),
                    help="where the copies and archives go (default ../data/scale beside the repository)")
    ap.add_argument("--no-enrich-at", default="10", help="sizes at which the enriching ingest is skipped "
                    "(default 10: at 10x it alone would take most of the hour); '' to run it at every size")
    ap.add_argument("--repeat", type=int, default=3, help="warm runs of the query mix")
    ap.add_argument("--requests", type=int, default=400, help="reading-room requests per page type")
    ap.add_argument("--port", type=int, default=8791)
    ap.add_argument("--keep", action="store_true", help="keep each size's archive (default: deleted once measured)")
    ap.add_argument("--resume", action="store_true",
                    help="skip the steps a previous, interrupted run of a size finished (its archive kept)")
    ap.add_argument("--table-only", action="store_true", help="print the table from the saved results")
    args = ap.parse_args()
    sizes = sorted({int(x) for x in args.sizes.split(",") if x.strip()})
    args.no_enrich_at = {int(x) for x in args.no_enrich_at.split(",") if x.strip()}
    work = Path(args.work)
    if not args.table_only:
        need(args.corpus, "--corpus PATH")
        work.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()}; python {sys.version.split()[0]}",
              flush=True)
        generate(Path(args.corpus), work / "corpus", max(sizes))
        for s in sizes:
            measure_size(s, work / "corpus", work, args)
        print(f"\nwhole run: {(time.perf_counter() - t0) / 60:.1f} min")
    results = []
    for s in sizes:
        done, part = work / f"results-{s}.json", work / f"results-{s}.partial.json"
        if done.exists():
            results.append(json.loads(done.read_text()))
        elif part.exists():  # an interrupted size: the steps it finished
            results.append({**json.loads(part.read_text()), "partial": True})
    print()
    print(table(results))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    if len(sys.argv) > 1 and sys.argv[1] == "_search":
        print(json.dumps(search_child(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))))
    else:
        main()
