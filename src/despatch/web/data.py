"""What each page shows, as plain data: the HTML pages and the JSON API are two views of these functions.

Everything here goes through the library (`Archive`, `despatch.search`, `despatch.cite`, enrichment's
annotations); the web adds no features of its own.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..cite import cite, style_label
from ..cite import styles as cite_styles
from ..errors import DespatchError, NotFound
from ..model import Annotation, Document
from ..search import SearchResult
from ..store import Archive
from .render import ENTITY_TYPES, entity_key
from .searching import SearchFailed, SearchParams, run_search

log = logging.getLogger(__name__)

def style_labels() -> dict[str, str]:
    """Each installed citation style's name → how people call it, for the page's style menu."""
    out = {"plain": "Plain"}
    for name in cite_styles():
        try:
            out[name] = style_label(name)
        except DespatchError as e:  # a plug-in style that cannot load: its name will do, the reason is logged
            log.error("citation style %r: %s", name, e)
            out[name] = name
    return out


# -- citations ----------------------------------------------------------------------------------------


def citations(doc: Document) -> list[tuple[str, str]]:
    """(style, citation) for every style of the citation library that can cite this document."""
    return cite_all(doc)[0]


def cite_all(doc: Document) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Every style's citation of `doc`, and the styles that failed with their reason.

    A style that fails (a bug, or a plug-in style that cannot handle this document) does not take the
    page down with it; it is logged with its traceback and its reason is shown beside the others.
    """
    out: list[tuple[str, str]] = []
    failed: dict[str, str] = {}
    for style in cite_styles():
        try:
            out.append((style, str(cite(doc, style))))
        except Exception as e:  # noqa: BLE001 - reported below and on the page, not fatal to it
            log.error("citation style %r failed on %s", style, doc.id, exc_info=True)
            failed[style] = f"{type(e).__name__}: {e}"
    return out or [("plain", plain_reference(doc))], failed


def plain_reference(doc: Document) -> str:
    parts = [doc.originator and f"{doc.originator}", doc.recipient and f"to {doc.recipient}",
             doc.title and f"“{doc.title}”", doc.date and (doc.date.text or doc.date.start),
             doc.source and doc.source.text, doc.url]
    return ", ".join(p for p in parts if p) + "."


# -- statistics --------------------------------------------------------------------------------------

STATS_TTL = 60.0
_stats_cache: dict[tuple[int, str | None], tuple[float, dict[str, Any]]] = {}


def stats(owner: object, archive: Archive, collection: str | None = None) -> dict[str, Any]:
    """Archive statistics, recomputed at most once a minute (they scan every document)."""
    import time

    key = (id(owner), collection)
    hit = _stats_cache.get(key)
    now = time.monotonic()
    if hit and now - hit[0] < STATS_TTL:
        return hit[1]
    st = archive.stats(collection)
    st.pop("archive", None)  # the server's file path is not the reader's business
    _stats_cache[key] = (now, st)
    return st


# -- document ----------------------------------------------------------------------------------------


def source_filename(path: str | None, doc_id: str) -> str:
    """The original file's own name (the last part of its path, or of a tar/zip member's name)."""
    name = re.split(r"[/\\!]", path or "")[-1] if path else ""
    name = "".join(c for c in name if c.isprintable() and c not in '"\\;').strip()
    return name or (doc_id.replace("/", "_") + ".bin")


def document_data(archive: Archive, doc: Document) -> dict[str, Any]:
    prev_id, next_id = archive.neighbours(doc.id)
    versions = archive.versions(doc.id)
    cites, cite_errors = cite_all(doc)
    return {
        "document": doc,
        "previous": prev_id,
        "next": next_id,
        "versions": versions,
        "citations": cites,
        "citation_errors": cite_errors,
        "filename": source_filename(doc.file.path if doc.file else None, doc.id),
    }


_STOP = set(
    "about above after again against their there these those which while would could should other under "
    "being before between during through where within without government state states united nations "
    "country countries people world international shall great years first since every further".split()
)


def similar_query(doc: Document, n: int = 8) -> str:
    """A query for documents like this one: its entities and its most frequent long words, OR'ed."""
    ents = Counter(
        (a.type, a.text.strip()) for a in doc.annotations if a.type in ENTITY_TYPES and len(a.text.strip()) > 2
    )
    parts = [f'"{t}"' for (_, t), _c in ents.most_common(4) if '"' not in t]
    words = Counter(w for w in re.findall(r"[^\W\d_]{6,}", doc.text.lower()) if w not in _STOP)
    parts += [w for w, _c in words.most_common(n)]
    return " OR ".join(dict.fromkeys(parts))


def similar(archive: Archive, doc: Document, limit: int = 6) -> list[Any]:
    q = similar_query(doc)
    if not q:
        return []
    try:
        res = run_search(archive, SearchParams(q=q, per_page=limit + 1, facets=(), snippets=False))
    except SearchFailed as e:  # a query built from the document that the parser refuses: a bug, said so
        log.error("similar documents for %s: the query made from it failed: %s", doc.id, e)
        return []
    return [h for h in res.hits if h.id != doc.id][:limit]


# -- search ------------------------------------------------------------------------------------------


def year_bars(result: SearchResult, fill: bool = True) -> list[tuple[str, int, str]]:
    """(year, count, filter) from the result's year facet, in date order; years with no hits filled with 0
    so the bars stand on a true time axis."""
    for f in result.facets:
        if f.name == "year":
            vals = sorted((str(v.value), v.count, v.filter or f"year:{v.value}") for v in f.values
                          if str(v.value)[:4].isdigit() and len(str(v.value)) == 4)
            if fill and vals and int(vals[-1][0]) - int(vals[0][0]) <= 300:
                have = {y: (c, flt) for y, c, flt in vals}
                vals = [(str(y), *have.get(str(y), (0, f"year:{y}")))
                        for y in range(int(vals[0][0]), int(vals[-1][0]) + 1)]
            return vals
    return []


# -- entity ------------------------------------------------------------------------------------------


@dataclass
class Mention:
    doc_id: str
    title: str | None
    date: str | None
    left: str
    match: str
    right: str


@dataclass
class EntityData:
    type: str
    key: str
    name: str
    query: str
    result: SearchResult | None
    variants: list[tuple[str, int]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    cooccurring: list[tuple[str, str, int, str]] = field(default_factory=list)  # type, label, count, key
    record: dict[str, Any] | None = None  # the archive's entity record (despatch.enrich.records), when there is one

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type, "key": self.key, "name": self.name, "query": self.query,
            "id": self.record["id"] if self.record else None,
            "dates": self.record["dates"] if self.record else {},
            "sources": self.record["sources"] if self.record else [],
            "external_ids": self.record["external_ids"] if self.record else {},
            "ambiguous": bool(self.record and self.record["ambiguous"]),
            "candidates": self.record["candidates"] if self.record else [],
            "documents": self.result.total if self.result else 0,
            "variants": [{"text": t, "count": c} for t, c in self.variants],
            "years": [{"year": y, "count": c} for y, c, _f in (year_bars(self.result, False) if self.result else [])],
            "cooccurring": [{"type": t, "name": n, "documents": c, "key": k} for t, n, c, k in self.cooccurring],
            "mentions": [m.__dict__ for m in self.mentions],
        }


def _quoted(s: str) -> str:
    return '"' + s.replace('"', " ").strip() + '"'


def entity_data(archive: Archive, etype: str, key: str, mentions: int = 40, docs: int = 15) -> EntityData:
    if etype not in ENTITY_TYPES:
        raise NotFound(f"unknown entity type {etype!r}; use one of {', '.join(ENTITY_TYPES)}")
    query = f"{etype}:{_quoted(key)}"
    params = SearchParams(q=query, per_page=docs, facets=("year", *ENTITY_TYPES))
    try:
        result = run_search(archive, params)
    except SearchFailed:
        query = _quoted(key)
        result = run_search(archive, SearchParams(q=query, per_page=docs, facets=("year", *ENTITY_TYPES)))
    variants: Counter[str] = Counter()
    names: Counter[str] = Counter()
    found: list[Mention] = []
    for hit in result.hits:
        doc = archive.get(hit.id)
        if doc is None:
            continue
        anns = [a for a in doc.annotations if a.type == etype and _is_entity(a, key)]
        spans = [(a.start, a.end) for a in anns]
        for a in anns:
            variants[a.text] += 1
            if isinstance(a.value, dict) and a.value.get("name"):
                names[str(a.value["name"])] += 1
        if not spans:  # no enrichment: the name as written
            spans = [(m.start(), m.end()) for m in re.finditer(re.escape(key), doc.text, re.IGNORECASE)][:5]
        for s, e in spans[:5]:
            if len(found) >= mentions:
                break
            found.append(Mention(doc.id, doc.title, hit.date, doc.text[max(0, s - 70):s].replace("\n", " "),
                                 doc.text[s:e], doc.text[e:e + 70].replace("\n", " ")))
    name = names.most_common(1)[0][0] if names else (variants.most_common(1)[0][0] if variants else key)
    co: list[tuple[str, str, int, str]] = []
    for f in result.facets:
        if f.name in ENTITY_TYPES:
            for v in f.values:
                label = v.label or v.value
                if f.name == etype and (v.value == key or label == name or label == key):
                    continue
                co.append((f.name, label, v.count, v.value))
    co.sort(key=lambda t: -t[2])
    data = EntityData(etype, key, name, query, result, variants.most_common(20), found, co[:30])
    rec = _record(archive, etype, key)
    if rec is not None:  # the record's variants and co-occurrence cover the whole archive, keyed on the id
        from ..enrich.pages import entity_page

        page = entity_page(archive, rec.id, mentions=0, cooccurring=30) or {}
        data.record = rec.to_dict()
        data.name = rec.label
        data.variants = list(rec.variants.items())[:30]
        data.cooccurring = [(c["type"], c["label"], c["documents"], c["label"]) for c in page.get("cooccurring", [])]
    return data


def _record(archive: Archive, etype: str, key: str) -> Any:
    rec = archive.get_entity(key)
    if rec is None:
        rec = next((r for r in archive.iter_entities(etype) if r.label == key), None)
    return rec if rec is not None and rec.type == etype else None


def _is_entity(a: Annotation, key: str) -> bool:
    if entity_key(a) == key:
        return True
    v = a.value if isinstance(a.value, dict) else {}
    return key in (a.text, v.get("name"), v.get("id"))


# -- timeline ----------------------------------------------------------------------------------------

_RANGE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _check_date(v: str | None, name: str) -> str | None:
    if not v:
        return None
    if not _RANGE.match(v):
        raise SearchFailed(f"{name} must be a date like 1953, 1953-07 or 1953-07-31, not {v!r}")
    return v


@dataclass
class TimelineData:
    q: str
    collection: str | None
    start: str | None
    end: str | None
    level: str  # decade | year | month | day
    bins: list[tuple[str, int, str, str]]  # label, count, from, to
    total: int
    documents: list[Any]
    events: list[dict[str, Any]]
    coarse: int = 0  # documents in the range dated too coarsely for this level's bins

    def to_dict(self) -> dict[str, Any]:
        return {
            "q": self.q, "collection": self.collection, "from": self.start, "to": self.end, "level": self.level,
            "total": self.total, "coarser_than_level": self.coarse,
            "bins": [{"label": lab, "count": c, "from": a, "to": b} for lab, c, a, b in self.bins],
            "documents": [{"id": h.id, "title": h.title, "date": h.date, "date_start": h.date_start,
                           "date_precision": h.date_precision}
                          for h in self.documents],
            "events": self.events,
        }


def _month_end(ym: str) -> str:
    import calendar

    y, m = int(ym[:4]), int(ym[5:7])
    return f"{ym}-{calendar.monthrange(y, m)[1]:02d}"


def timeline_data(archive: Archive, q: str, collection: str | None, start: str | None, end: str | None,
                  max_docs: int = 50, event_docs: int = 20) -> TimelineData:
    start, end = _check_date(start, "from"), _check_date(end, "to")
    filters = []
    if collection:
        filters.append(f"collection:{_quoted(collection)}")
    if start or end:
        filters.append(f"date:{start or '0001'}..{end or '9999'}")
    # Zoom level from the width of the range: decades → years → months → days.
    span_years = None
    if start and end:
        span_years = int(end[:4]) - int(start[:4])
    if start and end and start[:7] == end[:7] and len(start) >= 7:
        level = "day"
    elif start and end and span_years == 0:
        level = "month"
    elif span_years is not None and span_years < 15:
        level = "year"
    else:
        level = "decade"
    facets = ("decade", "year") if level in ("decade", "year") else ("year",)
    res = run_search(archive, SearchParams(q=q, filters=filters, sort="date", per_page=max_docs, facets=facets))
    bins: list[tuple[str, int, str, str]] = []
    coarse = 0
    if level in ("decade", "year"):
        counts: Counter[str] = Counter()
        for y, c, _f in year_bars(res, fill=False):
            key = y[:3] + "0s" if level == "decade" else y[:4]
            counts[key] += c
        for key in sorted(counts):
            if level == "decade":
                bins.append((key, counts[key], key[:4], str(int(key[:4]) + 9)))
            else:
                bins.append((key, counts[key], key, key))
    else:
        # Months and days are counted from the hits themselves, paged in date order (bounded).
        counts = Counter()
        width = 7 if level == "month" else 10
        fine = ("month", "day", "minute") if level == "month" else ("day", "minute")
        page = 1
        while True:
            r = run_search(archive, SearchParams(q=q, filters=filters, sort="date", per_page=100, page=page,
                                                 facets=(), snippets=False))
            for h in r.hits:
                # A document dated only to the year (or month) has no place on a month (or day) axis.
                if h.date_start and len(h.date_start) >= width and h.date_precision in fine:
                    counts[h.date_start[:width]] += 1
                else:
                    coarse += 1
            if page * 100 >= min(r.total, 5000) or not r.hits:
                break
            page += 1
        for key in sorted(counts):
            bins.append((key, counts[key], key, _month_end(key) if level == "month" else key))
    events: list[dict[str, Any]] = []
    for h in res.hits[:event_docs]:
        doc = archive.get(h.id)
        if doc is None:
            continue
        for a in doc.annotations:
            if a.type != "date":
                continue
            v = a.value if isinstance(a.value, dict) else {}
            iso = str(v.get("start") or v.get("iso") or v.get("value") or "")
            if not iso[:4].isdigit():
                continue
            if (start and iso[: len(start)] < start) or (end and iso[: len(end)] > end):
                continue
            events.append({"date": iso, "precision": v.get("precision"), "text": a.text, "doc_id": doc.id,
                           "doc_title": doc.title,
                           "context": doc.text[max(0, a.start - 60):a.end + 60].replace("\n", " ")})
    events.sort(key=lambda e: e["date"])
    return TimelineData(q, collection, start, end, level, bins, res.total, res.hits, events[:200], coarse)


def shown_date(start: str | None, precision: str | None, text: str | None = None) -> str:
    """A date as precise as it is known: 1950 for a year, 1950-03 for a month, never an invented day."""
    if text:
        return text
    if not start:
        return ""
    return {"year": start[:4], "month": start[:7], "day": start[:10]}.get(precision or "", start)
