"""The fast paths of despatch.analysis give exactly what a brute-force pass over the texts gives.

A trend counts by one aggregation on the `doc` column grouped by a per-document table (search/grid.py);
keyness subtracts a subset's counts from the corpus frequencies kept on disk; collocates find the node
in one pass of a lookup table. Each is checked here against counts made directly from the documents
this test writes (words, phrases, years, months, countries, multi-valued exemptions, entities), with
none of the analysis code in the expected values.
"""

from __future__ import annotations

import importlib
import math
import random
import re
from collections import Counter

import numpy as np
import pytest
import tantivy

from despatch.analysis import collocates, keyness, stats, trend
from despatch.analysis import corpus as corpus_mod
from despatch.model import Annotation, DocDate, Document, Span
from despatch.search import grid as grid_mod
from despatch.store import open_archive
from despatch.store.base import StoredFile

WORDS = ("peace peaceful peaces coexistence river treaty harbour grain union delegation assembly council "
         "trade mountain").split()
COUNTRIES = ("AAA", "BBB", "CCC", None)
PEOPLE = ("Georgy Malenkov", "Nikolai Bulganin")
WORD = re.compile(r"[a-z]+")


def _corpus(n: int = 70) -> list[dict]:
    """Documents as plain records: the test's own truth."""
    rnd = random.Random(17)
    out = []
    for i in range(n):
        year = rnd.choice([None, *range(1950, 1976)])
        paras = [" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 14))) for _ in range(rnd.randint(1, 6))]
        if rnd.random() < 0.3:  # the phrase, somewhere
            j = rnd.randrange(len(paras))
            paras[j] += " grain harbour"
        kind = rnd.random()
        if year is None:
            date = None
        elif kind < 0.4:  # a day: in its month
            m, d = rnd.randint(1, 12), rnd.randint(1, 28)
            date = (f"{year}-{m:02d}-{d:02d}", f"{year}-{m:02d}-{d:02d}", "day")
        elif kind < 0.5:  # across two months: in no month
            date = (f"{year}-03-30", f"{year}-04-02", "day")
        else:
            date = (f"{year}-01-01", f"{year}-12-31", "year")
        ex = rnd.choice([[], ["(b)(1)"], ["(b)(1)", "(b)(3)"], ["(b)(3)"]])
        people = [(j, rnd.choice(PEOPLE)) for j in range(len(paras)) if rnd.random() < 0.3]
        out.append({"id": f"t/d{i:03d}", "country": rnd.choice(COUNTRIES), "date": date, "paras": paras,
                    "exemptions": ex, "people": people, "collection": rnd.choice(["one", "two"])})
    return out


def _document(r: dict) -> Document:
    paras = list(r["paras"])
    anns, spans, pos = [], [], 0
    for j, p in enumerate(paras):
        for pj, name in r["people"]:
            if pj == j:
                paras[j] = p = p + " " + name.split()[-1]
                s = pos + len(p) - len(name.split()[-1])
                anns.append(Annotation("person", s, pos + len(p), name.split()[-1], {"name": name}, "test"))
        spans.append(Span("paragraph", pos, pos + len(p)))
        pos += len(p) + 1
    meta = {}
    if r["country"]:
        meta["country"] = r["country"]
    if r["exemptions"]:
        meta["exemptions"] = r["exemptions"]
    return Document(id=r["id"], collection=r["collection"], text="\n".join(paras), title="Record",
                    date=DocDate(*r["date"]) if r["date"] else None, structure=spans, annotations=anns,
                    metadata=meta)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    recs = _corpus()
    arch = open_archive(tmp_path_factory.mktemp("exact") / "exact.db")
    arch.put(StoredFile("exact", "e" * 64, 1, "txt", b"e"), "test", [_document(r) for r in recs])
    arch.sync_search()
    yield arch, recs
    arch.close()


# -- brute force -----------------------------------------------------------------------------------------
def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _paras(r: dict) -> list[list[str]]:
    """Each paragraph's words as stored (a person's surname appended where the record names one)."""
    out = []
    for j, p in enumerate(r["paras"]):
        extra = [name.split()[-1] for pj, name in r["people"] if pj == j]
        out.append(_words(" ".join([p, *extra])))
    return out


def _has(ws: list[str], q: str) -> bool:
    if q == '"grain harbour"':
        return any(a == "grain" and b == "harbour" for a, b in zip(ws, ws[1:], strict=False))
    return q in ws


def _period(r: dict, period: str) -> str | None:
    if not r["date"]:
        return None
    lo, hi, _ = r["date"]
    if period == "year":
        return lo[:4]
    if period == "decade":
        return f"{int(lo[:4]) // 10 * 10}s"
    return lo[:7] if lo[:7] == hi[:7] else None


def _values(r: dict, split: str | None, unit_people: set[str]) -> list[str]:
    if split == "country":
        return [r["country"]] if r["country"] else []
    if split == "exemption":
        return list(r["exemptions"])
    if split == "collection":
        return [r["collection"]]
    if split == "person":
        return sorted(unit_people)
    return []


def _brute(recs: list[dict], q: str, unit: str, period: str, split: str | None, country: str | None = None):
    """{(period, value or None): (matching units, units)} counted from the records."""
    got: Counter = Counter()
    tot: Counter = Counter()
    for r in recs:
        if country and r["country"] != country:
            continue
        p = _period(r, period)
        if p is None:
            continue
        paras = _paras(r)
        if unit == "documents":
            units = [([w for ws in paras for w in ws], {n for _, n in r["people"]})]
        else:
            units = [(ws, {n for pj, n in r["people"] if pj == j}) for j, ws in enumerate(paras)]
        for ws, people in units:
            hit = _has(ws, q)
            for key in [(p, None), *((p, v) for v in _values(r, split, people))]:
                tot[key] += 1
                got[key] += hit
    return got, tot


# -- trend -----------------------------------------------------------------------------------------------
CASES = [
    ("paragraphs", "year", "country", None),
    ("documents", "year", "country", None),
    ("paragraphs", "month", None, None),
    ("documents", "decade", "exemption", None),
    ("paragraphs", "year", "exemption", "BBB"),
    ("documents", "month", "collection", None),
    ("paragraphs", "year", "person", None),  # a paragraph's own entities: the nested aggregation
    ("documents", "decade", "person", None),
]


@pytest.mark.parametrize("unit,period,split,country", CASES)
def test_trend_counts_equal_a_count_from_the_texts(built, unit, period, split, country):
    arch, recs = built
    queries = ["river", '"grain harbour"', "mountain"]
    t = trend(arch, queries, period=period, split=split, unit=unit,
              filters=[f"country:{country}"] if country else None)
    d = t.to_dict()
    for q, series in ((q, [s for s in d["series"] if s["query"] == q]) for q in queries):
        got, tot = _brute(recs, q, unit, period, split, country)
        periods = sorted({p for p, _ in tot})
        if split is None:
            assert len(series) == 1
        else:
            assert sorted(s["split"] for s in series) == sorted({v for _, v in tot if v is not None})
        for s in series:
            assert [pt["period"] for pt in s["points"]] == periods
            for pt in s["points"]:
                k, n = got[(pt["period"], s["split"])], tot[(pt["period"], s["split"])]
                assert (pt["count"], pt["total"]) == (k, n), (q, s["split"], pt)
                lo, hi = stats.wilson(k, n)
                assert pt["share"] == (k / n if n else 0.0)
                assert (pt["low"], pt["high"]) == (round(lo, 6), round(hi, 6))
    n_units = sum(len(r["paras"]) for r in recs if not country or r["country"] == country)
    if unit == "documents":
        n_units = sum(1 for r in recs if not country or r["country"] == country)
    assert d["corpus"][unit] == n_units  # undated units too


def test_trend_by_ranges_of_document_keys_is_the_same(built, monkeypatch):
    """Past CHUNK documents the doc column is aggregated range by range: the same counts."""
    arch, _ = built
    whole = trend(arch, ["river", "treaty"], split="exemption", unit="paragraphs").to_dict()
    monkeypatch.setattr(grid_mod, "CHUNK", 7)
    grid_mod._TABLES.clear()
    monkeypatch.setattr(importlib.import_module("despatch.analysis.trend"), "_TOTALS", {})
    keys = grid_mod._table(arch.search_index).keys
    schema = arch.search_index.schemas["paragraph"]
    assert len(grid_mod._chunked(tantivy.Query.all_query(), schema, keys)) == 10  # 70 documents, 7 a range
    chunked = trend(arch, ["river", "treaty"], split="exemption", unit="paragraphs").to_dict()
    assert chunked == whole
    grid_mod._TABLES.clear()


@pytest.mark.parametrize("split", [None, "country", "exemption", "collection"])
def test_per_document_table_and_nested_aggregation_agree(built, split):
    arch, _ = built
    for by in ("document", "paragraph"):
        for period in ("year", "month", "decade"):
            a = grid_mod.grid(arch.search_index, "river", by=by, period=period, split=split)
            b = grid_mod._from_nested(arch.search_index, "river", None, by, period, split)
            assert (a.total, a.periods, a.period_counts.tolist(), a.values, a.cells.tolist()) == \
                   (b.total, b.periods, b.period_counts.tolist(), b.values, b.cells.tolist())


# -- keyness and collocates -----------------------------------------------------------------------------
def _word_counts(recs: list[dict], keep) -> Counter:
    c: Counter = Counter()
    for r in recs:
        if keep(r):
            for ws in _paras(r):
                c.update(ws)
    return c


@pytest.mark.parametrize("filters", [None, ["year:1950..1962"]])
def test_keyness_against_the_rest_counts_every_word(built, filters):
    arch, recs = built

    def inside(r: dict) -> bool:
        return not filters or (r["date"] is not None and 1950 <= int(r["date"][0][:4]) <= 1962)

    a = _word_counts(recs, lambda r: inside(r) and r["country"] == "AAA")
    b = _word_counts(recs, lambda r: inside(r) and r["country"] != "AAA")
    k = keyness(arch, "country:AAA", filters=filters, min_freq=1, limit=None)
    na, nb = sum(a.values()), sum(b.values())
    assert (k.a["words"], k.b["words"]) == (na, nb)
    assert k.a["documents"] == sum(1 for r in recs if inside(r) and r["country"] == "AAA")
    assert k.b["documents"] == sum(1 for r in recs if inside(r) and r["country"] != "AAA")
    assert k.b["paragraphs"] == sum(len(r["paras"]) for r in recs if inside(r) and r["country"] != "AAA")
    items = {i.item: i for i in k.key_a + k.key_b}
    assert set(items) == set(a) | set(b) and k.tested == len(items)
    for w, i in items.items():
        assert (i.freq_a, i.freq_b) == (a[w], b[w]), w
        e1, e2 = na * (a[w] + b[w]) / (na + nb), nb * (a[w] + b[w]) / (na + nb)
        g2 = 2 * ((a[w] * math.log(a[w] / e1) if a[w] else 0) + (b[w] * math.log(b[w] / e2) if b[w] else 0))
        assert i.g2 == pytest.approx(g2, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("node,within", [("peace*", "*"), ("river", "*"), ("peace*", "country:CCC")])
def test_collocates_count_every_word_in_the_windows(built, node, within):
    arch, recs = built
    left, right = 2, 3
    lc: Counter = Counter()
    rc: Counter = Counter()
    seen = 0
    for r in recs:
        if within != "*" and r["country"] != within.split(":")[1]:
            continue
        for ws in _paras(r):
            for i, w in enumerate(ws):
                if (w.startswith("peace") if node.endswith("*") else w == node):
                    seen += 1
                    lc.update(ws[max(0, i - left):i])
                    rc.update(ws[i + 1:i + 1 + right])
    c = collocates(arch, node, within=within, left=left, right=right, min_freq=1, limit=10_000, sort="freq")
    assert c.occurrences == seen
    got = {x.word: (x.left, x.right, x.freq) for x in c.collocates}
    assert got == {w: (lc[w], rc[w], lc[w] + rc[w]) for w in set(lc) | set(rc)}
    assert c.window_words == sum(lc.values()) + sum(rc.values())


def test_word_frequencies_are_kept_with_the_token_corpus(built):
    arch, recs = built
    corpus_mod._LOADED.clear()
    tc = corpus_mod.load(arch)
    kept = arch.cache_dir("analysis") / "tokens" / "freq.npy"
    expected = _word_counts(recs, lambda r: True)
    assert kept.exists() and {tc.vocab[i]: int(n) for i, n in enumerate(np.load(kept)) if n} == dict(expected)
    kept.unlink()  # a corpus saved before the frequencies were kept: counted once, then kept
    corpus_mod._LOADED.clear()
    again = corpus_mod.load(arch)
    assert kept.exists() and np.array_equal(np.load(kept), again.freq)
    corpus_mod._LOADED.clear()
