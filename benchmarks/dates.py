"""Dates anchored to the document, side by side with the previous annotator (dates@1), in one run.

Reads the UN General Debate sessions 1946–1960 and the 23 FRUS volumes in ../shared (without enrichment),
runs the date annotator of this tree and, as the baseline, dates@1 (the annotator before issue 14, loaded
from git), and reports:

1. relative/partial mentions: a fixed-seed random sample of 200 (100 UN, 100 FRUS) written to
   benchmarks/dates_relative_sample.tsv; the verdict column is filled by hand (right / wrong, with a note),
   and a run with the file present reports the share judged right (the sample is redrawn only with --redraw);
2. direction checks both annotators can be measured on without a judge: UN month-only mentions placed
   after the session year's General Debate ended or before the year began; FRUS "the 6th of November
   last"-style dates (a day and month followed by "last"/"ultimo") falling after the letter's own date;
3. FRUS document dates outside their volume's years (volume year − 10 .. publication + 1) without a flag;
4. numbers followed by a currency or a count word ("1620 francs") annotated as dates (timeline events).

    .venv/bin/python benchmarks/dates.py [--redraw] [--baseline-rev 2d761f8]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from despatch.enrich.dates import DateAnnotator, is_amount
from despatch.ingest import IngestOptions, read_path
from despatch.model import Document

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared" / "corpus"
SAMPLE = HERE / "dates_relative_sample.tsv"
FIELDS = ["n", "corpus", "doc_id", "doc_date", "text", "value", "how", "context", "verdict", "note"]
#: After a fix, each sampled mention is read again ("value_now"); a verdict carries over only where the value
#: did not change, else it is judged again by hand ("verdict_now").
RECHECK = ["text_now", "value_now", "how_now", "verdict_now", "note_now"]
LAST_AFTER = re.compile(r"^,?\s(?:last|ultimo|ult\.)\b")


def load_baseline(rev: str):
    """dates@1 from git, importable beside this tree's package."""
    src = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:src/despatch/enrich/dates.py"],
                         capture_output=True, text=True, check=True).stdout
    src = src.replace("from ..model", "from despatch.model").replace("from .scan", "from despatch.enrich.scan") \
        .replace("from .amounts", "from despatch.enrich.amounts")
    tmp = Path(tempfile.mkdtemp()) / "dates_v1.py"
    tmp.write_text(src)
    spec = importlib.util.spec_from_file_location("dates_v1", tmp)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # a dataclass in it looks its module up while being defined
    spec.loader.exec_module(mod)
    return mod.DateAnnotator()


def load_docs() -> tuple[list[Document], list[Document]]:
    un = [read_path(f, IngestOptions(enrich=False, name_pattern="{country}_{session}_{year}"))[0]
          for f in sorted((SHARED / "ungdc" / "sessions").glob("*/*.txt"))]
    frus: list[Document] = []
    for f in sorted((SHARED / "frus").glob("*.xml")):
        frus += read_path(f, IngestOptions(enrich=False))
    return un, frus


def partial(a) -> bool:
    v = a.value if isinstance(a.value, dict) else {}
    return bool(v.get("resolved_from") or v.get("unresolved") or v.get("inferred_year"))


def context(doc: Document, a) -> str:
    return doc.text[max(0, a.start - 110):a.end + 70].replace("\n", " ").replace("\t", " ")


def sample_row(corpus: str, d: Document, a) -> dict:
    """One drawn mention as a row of a sample file, its verdict and note left for the judge."""
    v = a.value
    return {"corpus": corpus, "doc_id": d.id, "doc_date": d.date.start if d.date else "", "text": a.text,
            "value": v.get("value") or "", "how": v.get("rule") or v.get("unresolved") or "",
            "context": context(d, a), "verdict": "", "note": ""}


def numbered(rows: list[dict]) -> list[dict]:
    for i, r in enumerate(rows, 1):
        r["n"] = str(i)
    return rows


def draw(un: list[Document], frus: list[Document], ann: DateAnnotator) -> list[dict]:
    rows = []
    for corpus, docs in (("un", un), ("frus", frus)):
        pool = [(d, a) for d in docs for a in ann(d) if partial(a)]
        rnd = random.Random(14)
        for d, a in rnd.sample(pool, 100):
            rows.append(sample_row(corpus, d, a))
    return numbered(rows)


SAMPLE2 = HERE / "dates_relative_sample2.tsv"
SEED2 = 20261202
SAMPLE2_HEADER = f"""\
# A second, held-out hand-checked sample of relative or partial date mentions (issue 14).
# Drawn by `benchmarks/dates.py --draw2` with random.Random({SEED2}): 50 mentions from the UN General Debate
# speeches of 1946-1960 and 50 from the 23 FRUS volumes in ../shared, each a random choice among every
# mention the date annotator of this tree marks as relative or partial (resolved from the document's
# date, unresolved, or with an inferred year), leaving out every mention of dates_relative_sample.tsv (same
# document and context). The annotator was not changed between drawing and judging.
# Judged by hand by reading the context (and, where it was not enough, the document): "right" when the value
# is the date the words mean in that document (or, for what cannot be placed, when no value is given and the
# text is kept); "wrong" otherwise, with what it should be in the note. A vague period ("recent years") with no
# value is right. Verdicts were given once, before any fix; figures from it are held-out evidence.
"""


def draw2(un: list[Document], frus: list[Document], ann: DateAnnotator, exclude: set[tuple[str, str]]) -> list[dict]:
    """A fresh sample: 50 UN and 50 FRUS mentions, none of the first sample's."""
    rows = []
    rnd = random.Random(SEED2)
    for corpus, docs in (("un", un), ("frus", frus)):
        pool = [(d, a) for d in docs for a in ann(d) if partial(a) and (d.id, context(d, a)) not in exclude]
        for d, a in rnd.sample(pool, 50):
            rows.append(sample_row(corpus, d, a))
    return numbered(rows)


SAMPLE3 = HERE / "dates_relative_sample3.tsv"
SEED3 = 2026120203
SAMPLE4 = HERE / "dates_relative_sample4.tsv"
SEED4 = 2026120204


def held_out_header(name: str, flag: str, seed: int, earlier: str) -> str:
    """The comment lines at the head of a held-out sample drawn after the earlier ones."""
    return f"""\
# A {name} hand-checked sample of relative or partial date mentions (issue 14), held out from every fix so far.
# Drawn by `benchmarks/dates.py {flag}` with random.Random({seed}): 50 mentions from the UN General Debate
# speeches of 1946-1960 and 50 from the 23 FRUS volumes in ../shared, each a random choice among every
# mention the date annotator of this tree marks as relative or partial (resolved from the document's date,
# unresolved, or with an inferred year), leaving out every document of {earlier}. Judged by hand by reading the
# context (and the document where the context was not enough), once, after the last change to the annotator:
# "right" when the value is the date the words mean in that document (or, for what cannot be placed, when no
# value is given and the text is kept); "wrong" otherwise, with what it should be in the note.
"""


SAMPLE3_HEADER = held_out_header("third", "--draw3", SEED3,
                                 "dates_relative_sample.tsv and\n# dates_relative_sample2.tsv")
SAMPLE4_HEADER = held_out_header("fourth", "--draw4", SEED4,
                                 "dates_relative_sample.tsv,\n# dates_relative_sample2.tsv and "
                                 "dates_relative_sample3.tsv")


def draw3(un: list[Document], frus: list[Document], ann: DateAnnotator, exclude_docs: set[str],
          seed: int = SEED3) -> list[dict]:
    """A fresh sample from documents no earlier sample touched: 50 UN and 50 FRUS mentions."""
    rows = []
    rnd = random.Random(seed)
    for corpus, docs in (("un", un), ("frus", frus)):
        pool = [(d, a) for d in docs if d.id not in exclude_docs for a in ann(d) if partial(a)]
        for d, a in rnd.sample(pool, 50):
            rows.append(sample_row(corpus, d, a))
    return numbered(rows)


def score(rows: list[dict], key: str) -> str | None:
    """'right/judged = share (un r/n, frus r/n)' for one verdict column, None when nothing is judged."""
    judged = [r for r in rows if r.get(key) in ("right", "wrong")]
    if not judged:
        return None
    right = sum(r[key] == "right" for r in judged)
    per = ", ".join(f"{c} {sum(r[key] == 'right' for r in judged if r['corpus'] == c)}/"
                    f"{sum(r['corpus'] == c for r in judged)}" for c in ("un", "frus"))
    return f"{right}/{len(judged)} right = {right / len(judged):.1%} ({per})"


def read_sample(path: Path) -> list[dict]:
    with path.open() as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"))


def write_sample(path: Path, rows: list[dict], head: str = "", fields: list[str] = FIELDS,
                 extras: str = "raise") -> None:
    """A sample file: its comment lines (`head`), the header row and the rows, tab-separated."""
    with path.open("w", newline="") as f:
        f.write(head)
        w = csv.DictWriter(f, fields, delimiter="\t", extrasaction=extras)
        w.writeheader()
        w.writerows(rows)


def recheck_file(path: Path, rows: list[dict], docs: dict[str, Document], ann: DateAnnotator) -> int:
    """`recheck` the rows, then write them back to `path` with its comment lines and the *_now columns."""
    n = recheck(rows, docs, ann)
    head = "".join(line for line in path.read_text().splitlines(True) if line.startswith("#"))
    write_sample(path, rows, head, FIELDS + RECHECK, "ignore")
    return n


def recheck(rows: list[dict], docs: dict[str, Document], ann: DateAnnotator) -> int:
    """Re-read each sampled mention with this tree's annotator; returns how many changed value."""
    changed = 0
    cache: dict[str, list] = {}
    for r in rows:  # a verdict given again after an earlier recheck stands while the value it judged does
        r.setdefault("value_judged_now", r.get("value_now"))
    for r in rows:
        doc = docs[r["doc_id"]]
        flat = doc.text.replace("\n", " ").replace("\t", " ")
        at = flat.find(r["context"])
        start = at + min(110, flat[:at + 110].__len__() - at) if at >= 0 else -1
        if at >= 0:
            start = at + r["context"].find(r["text"], 0 if at == 0 else min(110, len(r["context"])) - 5)
        if r["doc_id"] not in cache:
            cache[r["doc_id"]] = ann(doc)
        hit = next((a for a in cache[r["doc_id"]] if a.start <= start < a.end), None) if start >= 0 else None
        v = hit.value if hit is not None else {}
        r["text_now"] = hit.text if hit is not None else ""
        r["value_now"] = (v.get("value") or "") if hit is not None else ""
        r["how_now"] = (v.get("rule") or v.get("unresolved") or "") if hit is not None else "(no longer a date)"
        same = r["value_now"] == r["value"] and (hit is not None)
        if same:
            r["verdict_now"], r["note_now"] = r["verdict"], r["note"]
        else:
            changed += 1
            if r.get("verdict_now") and r.get("value_judged_now") == r["value_now"]:
                continue
            r["verdict_now"] = r["note_now"] = ""
    return changed


def direction_errors(un: list[Document], frus: list[Document], ann) -> tuple[int, int, int, int]:
    """(UN month-only mentions outside the speech's year, of all; FRUS 'Nth of Month last' after the letter, of all)."""
    un_bad = un_all = fr_bad = fr_all = 0
    for d in un:
        y = d.date.start[:4]
        for a in ann(d):
            v = a.value
            if v.get("precision") == "month" and v.get("value") and v.get("resolved_from") and \
                    re.fullmatch(r"(?:in |of |since |until |during |by |from )?[A-Z][a-z]+", a.text) and \
                    "of this year" in d.text[a.end:a.end + 14]:
                un_all += 1
                un_bad += v["value"][:4] != y
    for d in frus:
        if not d.date or d.date.precision not in ("day", "minute"):
            continue
        for a in ann(d):
            v = a.value
            if not v.get("value") or v.get("precision") != "day":
                continue
            last_inside = a.text.endswith(("last", "ultimo"))
            if last_inside or LAST_AFTER.match(d.text[a.end:a.end + 10]):
                fr_all += 1
                fr_bad += v["start"] > d.date.start[:10]
    return un_bad, un_all, fr_bad, fr_all


def outside_volume(frus: list[Document]) -> tuple[int, int, list[str]]:
    bad, flagged = [], 0
    for d in frus:
        m = re.search(r"frus(\d{4})", d.metadata.get("volume", ""))
        vy = int(m.group(1)) if m else None
        pub = d.source.year if d.source else None
        if d.metadata.get("date_flags"):
            flagged += 1
        if d.date is None or vy is None:
            continue
        y = int(d.date.start[:4])
        if not (vy - 10 <= y <= max(pub or vy, vy) + 1) and not d.date.flags:
            bad.append(f"{d.id} {d.date.start}")
    return len(bad), flagged, bad[:10]


def amounts_as_dates(docs: list[Document], ann) -> int:
    n = 0
    for d in docs:
        for a in ann(d):
            if re.fullmatch(r"\d{4}", a.text) and is_amount(d.text, a.start, a.end):
                n += 1
    return n


def changed_since(un: list[Document], frus: list[Document], old, new, k: int = 20) -> None:
    """Every mention whose value differs between an earlier annotator and this tree's, counted per corpus and
    per rule of the new one, and a fixed-seed sample of k of them printed with their context to be judged."""
    changed = []
    for corpus, docs in (("un", un), ("frus", frus)):
        n = 0
        for d in docs:
            before = {(a.start, a.end): a.value for a in old(d)}
            for a in new(d):
                b = before.get((a.start, a.end))
                if b is None or (b.get("value") or "") != (a.value.get("value") or ""):
                    n += 1
                    changed.append((corpus, d, a, b))
        print(f"{corpus}: {n} mentions new or changed in value")
    rules: dict[str, int] = {}
    for _, _, a, _ in changed:
        r = str(a.value.get("anchor", ""))
        key = "enclosure's dateline" if "enclosure" in r else (a.value.get("rule") or a.value.get("unresolved") or "")
        rules[key] = rules.get(key, 0) + 1
    for key, n in sorted(rules.items(), key=lambda kv: -kv[1])[:12]:
        print(f"   {n:5d}  {key}")
    for corpus, d, a, b in random.Random(SEED3 + 1).sample(changed, min(k, len(changed))):
        print(f"-- {corpus} {d.id} ({d.date.start if d.date else ''}) {a.text!r}: "
              f"{(b or {}).get('value') if b else '(not read)'} -> {a.value.get('value')} "
              f"[{a.value.get('anchor', '')}; {a.value.get('rule') or a.value.get('unresolved')}]\n   {context(d, a)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--redraw", action="store_true", help="draw the sample again (verdicts are lost)")
    ap.add_argument("--recheck", action="store_true", help="re-read the sampled mentions after a fix")
    ap.add_argument("--baseline-rev", default="2d761f8", help="git revision holding dates@1")
    ap.add_argument("--changed-since", metavar="REV",
                    help="only compare with the annotator at git revision REV: count and sample changed mentions")
    ap.add_argument("--draw4", action="store_true",
                    help="draw the fourth sample (dates_relative_sample4.tsv) if it is absent")
    ap.add_argument("--draw3", action="store_true",
                    help="draw the third sample (dates_relative_sample3.tsv) if it is absent")
    ap.add_argument("--draw2", action="store_true",
                    help="draw the second, held-out sample (dates_relative_sample2.tsv) if it is absent")
    args = ap.parse_args()
    if not (SHARED / "frus").exists():
        sys.exit(f"{SHARED} is absent: the real corpora live in ../shared beside the repository")
    un, frus = load_docs()
    if args.changed_since:
        changed_since(un, frus, load_baseline(args.changed_since), DateAnnotator())
        return
    new, old = DateAnnotator(), load_baseline(args.baseline_rev)
    print(f"material: {len(un)} UN speeches 1946-1960, {len(frus)} FRUS documents (23 volumes)")
    by_id = {d.id: d for d in un + frus}
    if args.redraw or not SAMPLE.exists():
        rows = draw(un, frus, new)
        write_sample(SAMPLE, rows)
        print(f"sample of {len(rows)} written to {SAMPLE.name}: judge the verdict column by hand")
    with SAMPLE.open() as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    if args.draw2 and not SAMPLE2.exists():
        rows2 = draw2(un, frus, new, {(r["doc_id"], r["context"]) for r in rows})
        write_sample(SAMPLE2, rows2, SAMPLE2_HEADER)
        print(f"second sample of {len(rows2)} written to {SAMPLE2.name}: judge the verdict column by hand")
    if SAMPLE2.exists():
        rows2 = read_sample(SAMPLE2)
        if args.recheck:
            n = recheck_file(SAMPLE2, rows2, by_id, new)
            print(f"rechecked: {n} of {len(rows2)} mentions of the second sample changed value")
        for key, label in (("verdict", "held out, judged before any fix"), ("verdict_now", "after fixes (tuned)")):
            if (sc := score(rows2, key)) is not None:
                print(f"second sample ({label}): {sc}")
    earlier = [rows, read_sample(SAMPLE2)]
    for path, seed, header, want, name in ((SAMPLE3, SEED3, SAMPLE3_HEADER, args.draw3, "third"),
                                           (SAMPLE4, SEED4, SAMPLE4_HEADER, args.draw4, "fourth")):
        if want and not path.exists():
            rows_n = draw3(un, frus, new, {r["doc_id"] for rs in earlier for r in rs}, seed)
            write_sample(path, rows_n, header)
            print(f"{name} sample of {len(rows_n)} written to {path.name}: judge the verdict column by hand")
        if not path.exists():
            break
        rows_n = read_sample(path)
        earlier.append(rows_n)
        if args.recheck and any(r.get("verdict") for r in rows_n):
            n = recheck_file(path, rows_n, by_id, new)
            print(f"rechecked: {n} of {len(rows_n)} mentions of the {name} sample changed value")
        for key, label in (("verdict", "held out, judged once after the last change"),
                           ("verdict_now", "after later fixes (tuned)")):
            if (sc := score(rows_n, key)) is not None:
                print(f"{name} sample ({label}): {sc}")
    if args.recheck:
        n = recheck_file(SAMPLE, rows, by_id, new)
        print(f"rechecked: {n} of {len(rows)} sampled mentions changed value (verdict_now blank: judge again)")
    for key, label in (("verdict", "as first judged"), ("verdict_now", "after the fixes it prompted")):
        judged = [r for r in rows if r.get(key) in ("right", "wrong")]
        if not judged:
            continue
        right = sum(r[key] == "right" for r in judged)
        per = ", ".join(f"{c} {sum(r[key] == 'right' for r in judged if r['corpus'] == c)}/"
                        f"{sum(r['corpus'] == c for r in judged)}" for c in ("un", "frus"))
        print(f"hand-checked sample {label}: {right}/{len(judged)} right = {right / len(judged):.1%} ({per}; "
              f"target >= 95%)")
    for name, ann in (("dates@1 (baseline)", old), (f"dates@{new.version} (this tree)", new)):
        ub, ua, fb, fa = direction_errors(un, frus, ann)
        am = amounts_as_dates(un + frus, ann)
        print(f"{name}: UN '<Month> of this year' outside the speech's year {ub}/{ua}; "
              f"FRUS '<day> <Month> last' after the letter {fb}/{fa}; amounts/counts dated {am}")
    n_bad, n_flag, examples = outside_volume(frus)
    print(f"FRUS documents dated outside volume year-10..publication+1 without a flag: {n_bad} "
          f"(documents with date flags: {n_flag})")
    for e in examples:
        print("   ", e)


if __name__ == "__main__":
    main()
