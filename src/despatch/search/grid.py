"""Counts of a query per period and split value, as arrays: what a trend of many queries reads.

`counts.count()` nests a terms aggregation per group (year, then country inside each year) and unpacks
the nested buckets in Python; over 1.55 million paragraphs that is most of a trend's time. Yet a year,
a month, a country or a collection belongs to the document, and every paragraph carries it unchanged
(index.py's `_Common`). So here each query is one aggregation on the `doc` column (matching units per
document), and the grouping is numpy over a per-document table of period and facet values, read from
the document index once per index version. Facets that differ between a document and its paragraphs
(persons, places, organisations: a paragraph carries only its own) keep the nested aggregation.

The table is read from the index (fast fields and aggregations), never from the store.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import tantivy

from .counts import _key, _prepare
from .counts import count as nested_count
from .facets import FACETS
from .index import SearchIndex
from .query import QueryError

PERIODS = ("year", "month", "decade")
# Facets a paragraph shares with its document (index.py: KEYWORDS and META_FACETS, via _Common).
DOC_FACETS = ("collection", "classification", "doc_type", "language", "country", "redacted", "exemption")
CHUNK = 20_000  # documents per aggregation: tantivy refuses more than 65,000 buckets in one
BUCKETS = CHUNK + 10_000  # room for keys that are not in the table (a document indexed meanwhile)


@dataclass
class Grid:
    """Matching units of one query: in total, per period, and per period and split value.

    `periods` are the periods with at least one unit and `values` the split values with at least one,
    each sorted as text; `cells[i, j]` counts the units of period i with value j (a unit with two values
    of a multi-valued facet counts in both, one with none in neither), `period_counts[i]` every unit of
    period i whatever its values."""

    query: str
    filters: list[str]
    by: str
    period: str
    split: str | None
    total: int
    periods: list[str]
    period_counts: np.ndarray
    values: list[str] = field(default_factory=list)
    cells: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))
    warnings: list[str] = field(default_factory=list)
    watermark: int = 0


@dataclass
class _Table:
    """Every indexed document's key (ascending), period columns and facet values (built lazily)."""

    keys: np.ndarray
    year: np.ndarray  # int64, valid where has_date
    lo: np.ndarray  # date_lo, yyyymmdd
    hi: np.ndarray  # date_hi
    has_date: np.ndarray
    facets: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = field(default_factory=dict)


_LOCK = threading.Lock()


def grid(index: SearchIndex, query: str, filters: Any = None, by: str = "document", period: str = "year",
         split: str | None = None) -> Grid:
    """Units matching `query` per `period` (year, month, decade), and per value of `split` (a facet)."""
    if period not in PERIODS:
        raise QueryError(f"unknown period {period!r}", 0, f"periods: {', '.join(PERIODS)}", query)
    if split is not None and split not in FACETS:
        raise QueryError(f"unknown group {split!r}", 0, f"facets: {', '.join(FACETS)}", query)
    if split is not None and split not in DOC_FACETS:
        return _from_nested(index, query, filters, by, period, split)
    searcher, q, (parsed, fs, comp) = _prepare(index, query, filters, by)
    table = _table(index)
    got = _doc_counts(searcher, q, index.schemas[by], table)
    pairs = _facet(index, table, split) if split is not None else None
    if got is None or (split is not None and pairs is None):
        return _from_nested(index, query, filters, by, period, split)
    keys, counts = got
    g = Grid(query, fs, by, period, split, int(counts.sum()), [], np.zeros(0, dtype=np.int64),
             warnings=parsed.warnings + comp.warnings, watermark=index.watermark)
    per_doc = np.zeros(len(table.keys), dtype=np.int64)  # matching units of each document of the table
    row, ok = _rows(table.keys, keys)
    per_doc[row[ok]] = counts[ok]
    labels, code = _periods(table, period)  # each document's period (-1: none)
    has = (code >= 0) & (per_doc > 0)
    pc = np.bincount(code[has], weights=per_doc[has], minlength=len(labels)).astype(np.int64)
    order = sorted(np.flatnonzero(pc > 0).tolist(), key=lambda i: labels[i])
    g.periods = [labels[i] for i in order]
    g.period_counts = pc[order]
    if pairs is None:
        return g
    docs, vals, names = pairs
    sel = has[docs]
    docs, vals = docs[sel], vals[sel]
    at = np.full(len(labels), -1, dtype=np.int64)
    at[order] = np.arange(len(order))
    flat = np.bincount(at[code[docs]] * len(names) + vals, weights=per_doc[docs], minlength=len(order) * len(names))
    cells = flat.reshape(len(order), len(names)).astype(np.int64)
    vorder = sorted(np.flatnonzero(cells.sum(axis=0) > 0).tolist(), key=lambda j: names[j])
    g.values = [names[j] for j in vorder]
    g.cells = cells[:, vorder]
    return g


def _rows(table_keys: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of `keys` in the sorted `table_keys`, and which of them are there."""
    row = np.searchsorted(table_keys, keys)
    ok = row < len(table_keys)
    ok[ok] = table_keys[row[ok]] == keys[ok]
    return row, ok


# -- one aggregation on the doc column ------------------------------------------------------------------
def _doc_counts(searcher: tantivy.Searcher, q: tantivy.Query, schema: tantivy.Schema,
                table: _Table) -> tuple[np.ndarray, np.ndarray] | None:
    """Matching units per document key: a terms aggregation on `doc` (by ranges of keys when there are
    more documents than one aggregation may return). None if a count was cut short."""
    out_k, out_c = [], []
    for qq in _chunked(q, schema, table.keys):
        d = searcher.aggregate(qq, {"d": {"terms": {"field": "doc", "size": BUCKETS, "segment_size": BUCKETS}}})
        d = d.get("d", {})
        if d.get("sum_other_doc_count"):
            return None
        b = d.get("buckets", [])
        out_k.append(np.fromiter((x["key"] for x in b), dtype=np.int64, count=len(b)))
        out_c.append(np.fromiter((x["doc_count"] for x in b), dtype=np.int64, count=len(b)))
    if not out_k:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_k), np.concatenate(out_c)


def _chunked(q: tantivy.Query, schema: tantivy.Schema, keys: np.ndarray) -> list[tantivy.Query]:
    """`q` as it is, or (past CHUNK documents) `q` within consecutive ranges of document keys that
    together cover every key."""
    if len(keys) <= CHUNK:
        return [q]
    starts = [int(keys[i]) for i in range(0, len(keys), CHUNK)]
    out = []
    for n, lo in enumerate(starts):
        hi = starts[n + 1] - 1 if n + 1 < len(starts) else None
        rng = tantivy.Query.range_query(schema, "doc", tantivy.FieldType.Integer, lo if n else None, hi)
        out.append(tantivy.Query.boolean_query([(tantivy.Occur.Must, q), (tantivy.Occur.Must, rng)]))
    return out


# -- the per-document table, once per index version ------------------------------------------------------
_TABLES: weakref.WeakKeyDictionary[SearchIndex, tuple[int, _Table]] = weakref.WeakKeyDictionary()


def _table(index: SearchIndex) -> _Table:
    with _LOCK:
        hit = _TABLES.get(index)
        if hit is not None and hit[0] == index.watermark:
            return hit[1]
    s = index.indexes["document"].searcher()
    n = int(s.num_docs)
    addrs = [a for _, a in s.search(tantivy.Query.all_query(), limit=n, count=False).hits] if n else []
    cols = {f: s.fast_field_values(f, addrs) if addrs else [] for f in ("doc", "year", "date_lo", "date_hi")}
    has = np.array([v is not None for v in cols["year"]], dtype=bool)

    def arr(name: str) -> np.ndarray:
        return np.array([v if v is not None else 0 for v in cols[name]], dtype=np.int64)

    keys = arr("doc")
    order = np.argsort(keys, kind="stable")
    t = _Table(keys[order], arr("year")[order], arr("date_lo")[order], arr("date_hi")[order], has[order])
    with _LOCK:
        _TABLES[index] = (index.watermark, t)
    return t


def _periods(t: _Table, period: str) -> tuple[list[str], np.ndarray]:
    """The period labels, and each document's period as an index into them (-1: in none)."""
    if period == "month":  # a document is in a month when its first and last day are (counts.py's rule)
        raw, ok = t.lo // 100, t.has_date & (t.lo // 100 == t.hi // 100)
        raw = raw * 100
    else:
        raw, ok = (t.year // 10 * 10 if period == "decade" else t.year), t.has_date
    uniq = np.unique(raw[ok])
    code = np.full(len(t.keys), -1, dtype=np.int64)
    code[ok] = np.searchsorted(uniq, raw[ok])
    return [_key(period, int(v)) for v in uniq], code


def _facet(index: SearchIndex, t: _Table, split: str) -> tuple[np.ndarray, np.ndarray, list[str]] | None:
    """(document row, value index) pairs of a facet, and its values: one nested aggregation of the
    document index (value, then document). None if the facet has more values than one aggregation gives."""
    hit = t.facets.get(split)
    if hit is not None:
        return hit
    s = index.indexes["document"].searcher()
    fld = FACETS[split][0]
    names: dict[str, int] = {}
    rows, vals = [], []
    spec = {"v": {"terms": {"field": fld, "size": 65_000, "segment_size": 65_000},
                  "aggs": {"d": {"terms": {"field": "doc", "size": BUCKETS, "segment_size": BUCKETS}}}}}
    for qq in _chunked(tantivy.Query.all_query(), index.schemas["document"], t.keys):
        v = s.aggregate(qq, spec).get("v", {})
        if v.get("sum_other_doc_count"):
            return None
        for b in v.get("buckets", []):
            if b.get("d", {}).get("sum_other_doc_count"):
                return None
            j = names.setdefault(str(b["key"]), len(names))
            r, ok = _rows(t.keys, np.fromiter((x["key"] for x in b["d"]["buckets"]), dtype=np.int64))
            r = r[ok]
            rows.append(r)
            vals.append(np.full(len(r), j, dtype=np.int64))
    out = (np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64),
           np.concatenate(vals) if vals else np.zeros(0, dtype=np.int64), list(names))
    t.facets[split] = out
    return out


# -- facets a paragraph does not share with its document ---------------------------------------------------
def _from_nested(index: SearchIndex, query: str, filters: Any, by: str, period: str, split: str | None) -> Grid:
    """The same Grid from counts.count()'s nested aggregation (period, then split value)."""
    c = nested_count(index, query, filters=filters, by=by, groups=[period] + ([split] if split else []))
    periods = sorted(c.buckets)
    pc = np.array([c.buckets[p]["count"] if split else c.buckets[p] for p in periods], dtype=np.int64)
    g = Grid(query, c.filters, by, period, split, c.total, periods, pc, warnings=c.warnings, watermark=c.watermark)
    if split:
        g.values = sorted({v for p in periods for v in c.buckets[p]["sub"]})
        col = {v: j for j, v in enumerate(g.values)}
        g.cells = np.zeros((len(periods), len(g.values)), dtype=np.int64)
        for i, p in enumerate(periods):
            for v, n in c.buckets[p]["sub"].items():
                g.cells[i, col[v]] = int(n)
    return g
