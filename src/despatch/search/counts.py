"""Counting and enumerating what a query matches, for analysis (trends, keyness, concordances).

`count()` answers "how many documents (or paragraphs) match, per year and country" from the index's
columnar fields in one aggregation pass, without reading a single text. `matches()` streams every
matching unit (document key, paragraph number and offsets) in a stable order, in pages of a fixed
size, so a caller can walk a million hits in constant memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import tantivy

from .engine import BY, Compiler, filter_strings
from .facets import FACETS
from .index import PARA_TYPES, SearchIndex
from .query import And, Node, QueryError, parse, parse_filter

# group name → (fast field, aggregation): year, month and decade come from the date columns.
GROUPS = ("year", "month", "decade", *[n for n in FACETS if n not in ("year", "decade")])
PAGE = 10_000


@dataclass
class Counts:
    """Matching units of one query, in total and per group value (nested in the order of `groups`)."""

    query: str
    filters: list[str]
    by: str
    groups: list[str]
    total: int
    buckets: dict[str, Any] = field(default_factory=dict)  # value → count, or value → {"count", "sub"}
    warnings: list[str] = field(default_factory=list)
    watermark: int = 0


@dataclass
class Match:
    """One matching unit: the document's index key, and for paragraphs its number and offsets."""

    doc: int
    pnum: int | None = None
    start: int | None = None
    end: int | None = None
    ptype: str | None = None


def _prepare(index: SearchIndex, query: str, filters: Any, by: str) -> tuple[Any, Any, Any]:
    if by not in BY:
        raise QueryError(f"by must be one of {', '.join(BY)}, not {by!r}", 0, "use document or paragraph", query)
    if index.pending():
        index.sync()
    q = (query or "").strip()
    parsed = parse("" if q == "*" else q, meta_keys=index.meta_keys)  # "*": everything
    fs = filter_strings(filters)
    nodes = [parse_filter(f, index.meta_keys) for f in fs]
    tree: Node = And([parsed.tree, *nodes]) if nodes else parsed.tree
    searcher = index.indexes[by].searcher()
    comp = Compiler(index.schemas[by], by, index.forms(by, searcher))
    q = comp.compile(tree)
    return searcher, q, (parsed, fs, comp)


def _agg(name: str) -> dict[str, Any]:
    if name in ("year", "decade"):
        return {"terms": {"field": "year", "size": 10_000, "segment_size": 10_000}}
    if name == "month":  # yyyymmdd // 100 buckets of the first day; see _spec for the last
        return {"histogram": {"field": "date_lo", "interval": 100, "min_doc_count": 1}}
    if name not in FACETS:
        raise QueryError(f"unknown group {name!r}", 0, f"groups: {', '.join(GROUPS)}", name)
    fld, _, _, seg = FACETS[name]
    return {"terms": {"field": fld, "size": 65_000, "segment_size": 65_000}}


def _spec(names: list[str]) -> dict[str, Any]:
    """Nested aggregations, one level per group. A month counts only documents whose date lies within
    it (first and last day in the same month): one dated just "1953" is in no month."""
    spec = _agg(names[0])
    inner = {"g1": _spec(names[1:])} if len(names) > 1 else None
    if names[0] == "month":
        hi = {"histogram": {"field": "date_hi", "interval": 100, "min_doc_count": 1}}
        if inner:
            hi["aggs"] = inner
        spec["aggs"] = {"hi": hi}
    elif inner:
        spec["aggs"] = inner
    return spec


def _key(name: str, raw: Any) -> str:
    if name == "month":
        v = int(float(raw)) // 100
        return f"{v // 100:04d}-{v % 100:02d}"
    if name == "decade":
        return f"{int(raw) // 10 * 10}s"
    return str(raw)


def _unpack(names: list[str], agg: dict[str, Any]) -> dict[str, Any]:
    name, rest = names[0], names[1:]
    out: dict[str, Any] = {}
    for b in agg.get("buckets", []):
        k = _key(name, b["key"])
        if name == "month":  # only the documents whose last day is in the same month
            same = [h for h in b.get("hi", {}).get("buckets", []) if _key("month", h["key"]) == k]
            if not same:
                continue
            b = {**same[0], "key": b["key"]}
        c = int(b["doc_count"])
        if rest:
            out[k] = _merge(out.get(k), {"count": c, "sub": _unpack(rest, b.get("g1", {}))})
        else:
            out[k] = out.get(k, 0) + c
    return out


def _merge(a: Any, b: Any) -> Any:
    """Add two counts (decades merge their years' buckets)."""
    if a is None:
        return b
    if isinstance(a, int):
        return a + b
    a["count"] += b["count"]
    for k, v in b["sub"].items():
        a["sub"][k] = _merge(a["sub"].get(k), v)
    return a


def count(
    index: SearchIndex,
    query: str,
    filters: Any = None,
    by: str = "document",
    groups: list[str] | tuple[str, ...] = ("year",),
) -> Counts:
    """Matching documents (or paragraphs) in total and per value of up to two groups (e.g. year, country)."""
    groups = list(groups)
    if len(groups) > 2:
        raise QueryError("at most two groups (a period and a split)", 0, "e.g. year and country", query)
    searcher, q, (parsed, fs, comp) = _prepare(index, query, filters, by)
    total = int(searcher.search(q, limit=1, count=True).count or 0)
    result = Counts(query=query, filters=fs, by=by, groups=groups, total=total,
                    warnings=parsed.warnings + comp.warnings, watermark=index.watermark)
    if not groups or not total:
        return result
    raw = searcher.aggregate(q, {"g0": _spec(groups)})
    result.buckets = _unpack(groups, raw.get("g0", {}))
    return result


def matches(
    index: SearchIndex,
    query: str,
    filters: Any = None,
    by: str = "paragraph",
    page: int = PAGE,
) -> Iterator[Match]:
    """Every unit matching the query, oldest first (then in document and paragraph order), read from the
    index a page at a time: each next page asks for what sorts after the last one seen, so memory stays
    bounded however many hits there are."""
    searcher, q, _ = _prepare(index, query, filters, by)
    schema = index.schemas[by]
    after: int | None = None
    while True:
        pq = q
        if after is not None:
            rng = tantivy.Query.range_query(schema, "sort_asc", tantivy.FieldType.Integer, after + 1, None)
            pq = tantivy.Query.boolean_query([(tantivy.Occur.Must, q), (tantivy.Occur.Must, rng)])
        res = searcher.search(pq, limit=page, order_by_field="sort_asc", order=tantivy.Order.Asc)
        addrs = [a for _, a in res.hits]
        if not addrs:
            return
        keys = searcher.fast_field_values("sort_asc", addrs)
        docs = searcher.fast_field_values("doc", addrs)
        if by == "paragraph":
            pnum = searcher.fast_field_values("pnum", addrs)
            pstart = searcher.fast_field_values("pstart", addrs)
            pend = searcher.fast_field_values("pend", addrs)
            ptype = searcher.fast_field_values("ptype", addrs)
            for i, d in enumerate(docs):
                yield Match(int(d), int(pnum[i]), int(pstart[i]), int(pend[i]), PARA_TYPES[int(ptype[i])])
        else:
            for d in docs:
                yield Match(int(d))
        if len(addrs) < page:
            return
        after = int(max(keys))
