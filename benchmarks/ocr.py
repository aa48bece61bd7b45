"""OCR of scanned records: Despatch's ingest against plain `tesseract` (its CLI defaults), on the 27 JFK
records in ../shared/corpus/jfk, with NARA's catalogue as the reference for what the page should yield.

    .venv/bin/python benchmarks/ocr.py --archive /work/bench/ocr-jfk.db [--workers 2] [--reuse]
        [--time-limit 600] [--baseline-every 1] [--json out.json]

Phase 1 (skipped with --reuse when the archive exists): `despatch ingest CORPUS --catalog
nara-catalog.csv -j N` into a fresh archive, timed, with peak RSS summed over the process tree (sampled
every 0.2 s) and the CPU seconds of the whole tree (getrusage of the waited children).
Phase 2: the baseline — every `--baseline-every`-th page rendered with `pdftoppm -r 300 -gray` and read
with `tesseract PAGE stdout` (defaults: English, automatic page segmentation, Tesseract's own threads).
Phase 3: the figures.

* Dictionary share: tokens (whitespace-separated, with a letter or digit) that are dictionary words
  (Debian's wamerican /usr/share/dict/words, case-folded, outer punctuation stripped) or numbers,
  per document and overall, Despatch and baseline side by side on the same pages.
* pages/s, pages/s per core, CPU seconds per page, peak RSS.
* Against the catalogue, from the values read from the page (not from --catalog): the record's date
  read from the page equals NARA's "Doc Date"; the file number NARA gives is among those read from the
  pages; classification found on the pages a person judged to carry a stamp
  (benchmarks/ocr_classification_sample.tsv, checked by looking at the page images).
* Each catalogue figure for half A (the records whose number sorts first, which the form rules were
  written looking at), half B (the rest, held out) and all, with the wrong values beside the right ones
  (a date read that is not NARA's, file numbers read none of which is NARA's, classification found on a
  page judged unstamped). The values are re-read from the stored OCR (despatch.forms.page_values), so
  `--reuse` measures changed rules on an archive without OCR'ing again.
* With --catalog: every record carries NARA's title, date, from and to.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import resource
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import _measure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "jfk"
CATALOG = CORPUS / "nara-catalog.csv"
SAMPLE = Path(__file__).resolve().parent / "ocr_classification_sample.tsv"
WORDS = Path("/usr/share/dict/words")
DESPATCH = [sys.executable, "-m", "despatch"]


def measure(cmd: list[str]) -> dict[str, float]:
    """Wall seconds, CPU seconds of the process tree (its waited-for children), peak RSS summed over the
    tree (benchmarks/ingest.py's sampler)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, peak, rc = _measure(cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "peak_rss": peak, "rc": rc}


# -- dictionary share -------------------------------------------------------------------------------
_NUMBER = re.compile(r"^[#$]?\d[\d,./:-]*[A-Za-z]?$")
_STRIP = "\"'“”‘’.,;:!?()[]{}<>*_-—–|/\\"


def load_words() -> set[str]:
    if not WORDS.exists():
        sys.exit(f"{WORDS} is missing: install Debian's wamerican (`./dev setup` does)")
    return {w.strip().lower() for w in WORDS.read_text(errors="replace").splitlines() if w.strip()}


def token_share(text: str, words: set[str]) -> tuple[int, int]:
    """(dictionary words or numbers, tokens) in a text."""
    good = total = 0
    for tok in text.split():
        if not any(c.isalnum() for c in tok):
            continue
        total += 1
        t = tok.strip(_STRIP)
        low = t.lower()
        if _NUMBER.match(t) or low in words or (low.endswith("'s") and low[:-2] in words):
            good += 1
        elif "-" in low and all(p in words or p.isdigit() for p in low.split("-") if p):
            good += 1
    return good, total


# -- baseline --------------------------------------------------------------------------------------
def baseline_pages(pdfs: list[Path], every: int, tmp: Path) -> tuple[dict[tuple[str, int], str], dict[str, float]]:
    """Plain Tesseract on pdftoppm renderings: {(record, page): text}, and its timing."""
    from pypdf import PdfReader

    texts: dict[tuple[str, int], str] = {}
    wall = cpu = 0.0
    peak = 0
    k = 0
    for pdf in pdfs:
        for n in range(1, len(PdfReader(str(pdf)).pages) + 1):
            k += 1
            if (k - 1) % every:
                continue
            prefix = tmp / f"{pdf.stem}-{n}"
            r = measure(["pdftoppm", "-r", "300", "-gray", "-png", "-f", str(n), "-l", str(n), "-singlefile",
                         str(pdf), str(prefix)])
            out = tmp / f"{pdf.stem}-{n}.txt"
            t = measure(["sh", "-c", f"tesseract '{prefix}.png' stdout > '{out}' 2>/dev/null"])
            wall += r["wall"] + t["wall"]
            cpu += r["cpu"] + t["cpu"]
            peak = max(peak, int(t["peak_rss"]))
            texts[(pdf.stem, n)] = out.read_text(errors="replace")
            Path(f"{prefix}.png").unlink(missing_ok=True)
    return texts, {"wall": wall, "cpu": cpu, "peak_rss": peak, "pages": len(texts)}


# -- reading the archive ---------------------------------------------------------------------------
def load_docs(db: Path) -> list[dict]:
    from despatch.store import open_archive  # type: ignore[attr-defined]

    with open_archive(str(db), readonly=True) as arch:
        return [d.to_dict() for d in arch.iter_documents()]


def page_texts(doc: dict) -> dict[int, str]:
    out = {}
    for a in doc["annotations"]:
        if a["type"] == "ocr_page":
            out[int(a["value"]["page"])] = doc["text"][a["start"]:a["end"]]
    return out


def page_read(doc: dict) -> dict:
    """The values read from the page alone: the forms run again on the stored OCR lines and word boxes
    (despatch.forms.page_values), never on the catalogue's values, without OCR'ing again."""
    from despatch.forms import page_values
    from despatch.model import Document

    d = page_values(Document.from_dict(doc))
    form = d.metadata.get("form", {})
    return {"date": d.date.start if d.date else None, "classified_pages": form.get("classified_pages", []),
            "file_numbers": form.get("file_numbers", []), "type": d.doc_type,
            "classification": form.get("classification")}


def nara_date(s: str) -> tuple[str, str] | None:
    m = re.fullmatch(r"(\d\d)/(\d\d)/(\d{4})", s.strip())
    if not m or m.group(3) == "0000":
        return None
    mo, d, y = m.groups()
    if mo == "00":
        return (y, "year")
    if d == "00":
        return (f"{y}-{mo}", "month")
    return (f"{y}-{mo}-{d}", "day")


def _norm_file(s: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", s.upper()).replace("2010", "201", 1) if s.startswith("201-0") else \
        re.sub(r"[^A-Z0-9]", "", s.upper())


def halves(records: list[str]) -> dict[str, set[str]]:
    """The records split in two by record number: A, the first half (the one the form rules were written
    looking at), B, the rest (held out); figures are given for each and overall."""
    ordered = sorted(records)
    k = (len(ordered) + 1) // 2
    return {"A (rules written looking at these)": set(ordered[:k]), "B (held out)": set(ordered[k:])}


def tally(docs: list[dict], sample: list[dict], names: set[str] | None) -> dict[str, list[int]]:
    """[right, wrong, total] for the date and file number, and [found, stamped, found on unstamped pages,
    unstamped] for classification, over the records in `names` (None: all)."""
    t = {"date": [0, 0, 0], "file": [0, 0, 0], "class": [0, 0, 0, 0]}
    byrec = {x["record"]: x for x in docs}
    for x in docs:
        if names is not None and x["record"] not in names:
            continue
        if x["date_ok"] is not None:
            t["date"][2] += 1
            t["date"][0] += int(x["date_ok"])
            t["date"][1] += int(bool(x["date_read"]) and not x["date_ok"])
        if x["file_ok"] is not None:
            t["file"][2] += 1
            t["file"][0] += int(x["file_ok"])
            t["file"][1] += int(bool(x["file_numbers_read"]) and not x["file_ok"])
    for r in sample:
        if (names is not None and r["record"] not in names) or r["record"] not in byrec:
            continue
        found = int(r["page"]) in (byrec[r["record"]].get("classified_pages") or [])
        if r["stamp"].strip().lower() in ("", "none", "no"):
            t["class"][3] += 1
            t["class"][2] += int(found)
        else:
            t["class"][1] += 1
            t["class"][0] += int(found)
    return t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--archive", required=True, help="archive to build (or reuse) for the Despatch run")
    ap.add_argument("--workers", "-j", type=int, default=2)
    ap.add_argument("--reuse", action="store_true", help="use the archive if it exists (skip phase 1)")
    ap.add_argument("--time-limit", type=float, default=600.0,
                    help="the ingest's per-file wall-clock limit in seconds (0: none); a loaded machine needs more")
    ap.add_argument("--baseline-every", type=int, default=1, help="baseline on every k-th page (1: all)")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--json", help="write every figure to this file")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"no corpus at {CORPUS}")
    pdfs = sorted(CORPUS.glob("*.pdf"))
    db = Path(args.archive)
    run_file = db.with_suffix(".run.json")
    if args.reuse and db.exists() and run_file.exists():
        run = json.loads(run_file.read_text())
    else:
        for p in (db, Path(str(db) + "-wal"), Path(str(db) + "-shm")):
            p.unlink(missing_ok=True)
        shutil.rmtree(Path(str(db) + ".index"), ignore_errors=True)
        run = measure([*DESPATCH, "--archive", str(db), "ingest", str(CORPUS), "-q", "-j", str(args.workers),
                       "--time-limit", str(args.time_limit), "--catalog", str(CATALOG), "--catalog-key", "Record Num"])
        run["workers"] = args.workers
        run["time_limit"] = args.time_limit
        run_file.write_text(json.dumps(run))
    docs = [d for d in load_docs(db) if d["id"].rsplit("/", 1)[-1] in {p.stem for p in pdfs}]
    words = load_words()
    catalog = {r["Record Num"]: r for r in csv.DictReader(CATALOG.open(encoding="utf-8"))}
    pages_total = sum(len(page_texts(d)) for d in docs)

    base_texts: dict[tuple[str, int], str] = {}
    base_run: dict[str, float] = {}
    if not args.no_baseline:  # on the records the archive holds (all 27 after a complete phase 1)
        done = {d["id"].rsplit("/", 1)[-1] for d in docs}
        with tempfile.TemporaryDirectory() as tmp:
            base_texts, base_run = baseline_pages([p for p in pdfs if p.stem in done], args.baseline_every, Path(tmp))

    out: dict = {"records": len(docs), "pages": pages_total, "run": run, "baseline_run": base_run, "documents": []}
    if run.get("rc"):
        print(f"NOTE: the ingest ended with exit status {run['rc']} (stopped early?): the figures below cover the "
              f"{len(docs)} of {len(pdfs)} records it stored")
    print(f"Despatch ingest of {len(docs)} records, {pages_total} pages, -j {run['workers']}: "
          f"{run['wall']:.1f} s wall, {run['cpu']:.1f} CPU-s, peak RSS {run['peak_rss'] / 2**20:.0f} MiB")
    pps = pages_total / run["wall"]
    print(f"  {pps:.3f} pages/s, {pps / run['workers']:.3f} pages/s per core, "
          f"{run['cpu'] / max(pages_total, 1):.1f} CPU-s per page")
    if base_run:
        bp = base_run["pages"]
        print(f"Baseline (pdftoppm + tesseract defaults, one page at a time) on {bp} pages: "
              f"{base_run['wall']:.1f} s wall, {base_run['cpu']:.1f} CPU-s, "
              f"{base_run['cpu'] / max(bp, 1):.1f} CPU-s per page, peak RSS {base_run['peak_rss'] / 2**20:.0f} MiB")

    print(f"\n{'record':17} {'pages':>5} {'despatch':>9} {'same pp.':>9} {'baseline':>9}  "
          f"date(page/NARA)          file number")
    g_all = t_all = gb_all = tb_all = gd_same = td_same = 0
    dates_ok = dates_n = files_ok = files_n = 0
    catalog_ok = 0
    for d in sorted(docs, key=lambda x: x["id"]):
        rec = d["id"].rsplit("/", 1)[-1]
        pt = page_texts(d)
        g, t = token_share("\n".join(pt.values()), words)
        g_all, t_all = g_all + g, t_all + t
        gd = td = gb = tb = 0
        for n, text in pt.items():
            if (rec, n) in base_texts:
                a, b = token_share(text, words)
                c, e = token_share(base_texts[(rec, n)], words)
                gd, td, gb, tb = gd + a, td + b, gb + c, tb + e
        gd_same, td_same, gb_all, tb_all = gd_same + gd, td_same + td, gb_all + gb, tb_all + tb
        read = page_read(d)
        row = catalog.get(rec, {})
        nd = nara_date(row.get("Doc Date", ""))
        date_ok = None
        if nd:
            dates_n += 1
            date_ok = bool(read["date"]) and read["date"].startswith(nd[0])
            dates_ok += int(date_ok)
        fnum = row.get("File Num", "").strip()
        file_ok = None
        if fnum:
            files_n += 1
            file_ok = any(_norm_file(fnum) == _norm_file(x) for x in read["file_numbers"])
            files_ok += int(file_ok)
        # NARA's value wherever NARA gives one (an empty catalogue cell leaves the page's value)
        has_cat = all([
            not row.get("Title") or d["title"] == row["Title"],
            not nd or (d["date"] and d["date"]["start"].startswith(nd[0])),
            not row.get("From Name") or d["originator"] == row["From Name"],
            not row.get("To Name") or d["recipient"] == row["To Name"],
        ])
        catalog_ok += int(bool(has_cat))
        share_d = f"{gd / td:.3f}" if td else "-"
        share_b = f"{gb / tb:.3f}" if tb else "-"
        print(f"{rec:17} {len(pt):5} {g / max(t, 1):9.3f} {share_d:>9} {share_b:>9}  "
              f"{(read['date'] or '-'):10} {row.get('Doc Date', ''):10} {'ok' if date_ok else 'NO':3} "
              f"{fnum:11} {'ok' if file_ok else 'NO'}")
        out["documents"].append({"record": rec, "pages": len(pt), "share": g / max(t, 1), "tokens": t,
                                 "share_on_baseline_pages": gd / td if td else None,
                                 "baseline_share": gb / tb if tb else None, "date_read": read["date"],
                                 "nara_date": row.get("Doc Date"), "date_ok": date_ok, "file_ok": file_ok,
                                 "file_numbers_read": read["file_numbers"], "type": read["type"],
                                 "classified_pages": read["classified_pages"], "catalog_ok": bool(has_cat)})
    print(f"\nDictionary words or numbers, all tokens: Despatch {g_all / max(t_all, 1):.3f} ({t_all} tokens)")
    if tb_all:
        ratio = gd_same / td_same / (gb_all / tb_all)
        print(f"  on the baseline's pages: Despatch {gd_same / td_same:.3f} ({td_same} tokens), "
              f"tesseract CLI {gb_all / tb_all:.3f} ({tb_all} tokens), ratio {ratio:.3f}")
    sample = list(csv.DictReader(SAMPLE.open(encoding="utf-8"), delimiter="\t")) if SAMPLE.exists() else []
    groups: dict[str, set[str] | None] = {**halves([p.stem for p in pdfs]), "all": None}
    out["halves"] = {}
    for name, members in groups.items():
        t = tally(out["documents"], sample, members)
        out["halves"][name] = t
        d, f, c = t["date"], t["file"], t["class"]
        print(f"[{name}]")
        print(f"  Date read from the page = NARA Doc Date: {d[0]}/{d[2]} = {d[0] / max(d[2], 1):.0%} "
              f"(a different date read: {d[1]})")
        print(f"  File number found where NARA gives one: {f[0]}/{f[2]} = {f[0] / max(f[2], 1):.0%} "
              f"(numbers read, none NARA's: {f[1]})")
        if sample:
            print(f"  Classification found on hand-checked stamped pages: {c[0]}/{c[1]} = {c[0] / max(c[1], 1):.0%} "
                  f"(found on pages judged unstamped: {c[2]}/{c[3]})")
    if sample:
        out["classification"] = {"found": out["halves"]["all"]["class"][0],
                                 "stamped": out["halves"]["all"]["class"][1]}
    print(f"With --catalog, records carrying NARA's title, date, from and to: {catalog_ok}/{len(docs)}")
    out.update({"share": g_all / max(t_all, 1), "dates": [dates_ok, dates_n], "files": [files_ok, files_n],
                "catalog": [catalog_ok, len(docs)],
                "share_pair": [gd_same / td_same if td_same else None, gb_all / tb_all if tb_all else None]})
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
