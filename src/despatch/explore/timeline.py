"""A timeline of the documents a query finds: counts per decade, year, month or day (the zoom follows the
width of the date range), the earliest documents, and the dates written in them."""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..search.result import Hit, SearchResult
from ..store import Archive

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
FINE_PAGES_LIMIT = 5000  # month and day bins are counted from at most this many hits


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


def _check_date(v: str | None, name: str) -> str | None:
    if not v:
        return None
    if not _DATE.match(v):
        raise ValueError(f"{name} must be a date like 1953, 1953-07 or 1953-07-31, not {v!r}")
    return v


def _quoted(s: str) -> str:
    return '"' + s.replace('"', " ").strip() + '"'


@dataclass
class Timeline:
    q: str
    collection: str | None
    start: str | None
    end: str | None
    level: str  # decade | year | month | day
    bins: list[tuple[str, int, str, str]]  # label, count, from, to
    total: int
    documents: list[Hit]
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
    y, m = int(ym[:4]), int(ym[5:7])
    return f"{ym}-{calendar.monthrange(y, m)[1]:02d}"


def zoom_level(start: str | None, end: str | None) -> str:
    """decade, year, month or day, from the width of the range (decades when it is open)."""
    if start and end and start[:7] == end[:7] and len(start) >= 7:
        return "day"
    if start and end:
        span_years = int(end[:4]) - int(start[:4])
        if span_years == 0:
            return "month"
        if span_years < 15:
            return "year"
    return "decade"


def timeline(archive: Archive, q: str = "", collection: str | None = None, start: str | None = None,
             end: str | None = None, max_docs: int = 50, event_docs: int = 20) -> Timeline:
    """The timeline of what `q` finds (all documents for an empty query), optionally in one collection and
    between two dates (1953, 1953-07 or 1953-07-31). Events are the dates annotated in the first
    `event_docs` documents that fall in the range. Raises ValueError for a malformed date and
    `QueryError` for a query the language cannot read."""
    start, end = _check_date(start, "from"), _check_date(end, "to")
    filters = []
    if collection:
        filters.append(f"collection:{_quoted(collection)}")
    if start or end:
        filters.append(f"date:{start or '0001'}..{end or '9999'}")
    level = zoom_level(start, end)
    facets = ["decade", "year"] if level in ("decade", "year") else ["year"]
    res = archive.search(q, filters=filters, sort="date", per_page=max_docs, facets=facets)
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
            r = archive.search(q, filters=filters, sort="date", per_page=100, page=page, facets=[], snippets=False)
            for h in r.hits:
                # A document dated only to the year (or month) has no place on a month (or day) axis.
                if h.date_start and len(h.date_start) >= width and h.date_precision in fine:
                    counts[h.date_start[:width]] += 1
                else:
                    coarse += 1
            if page * 100 >= min(r.total, FINE_PAGES_LIMIT) or not r.hits:
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
    return Timeline(q, collection, start, end, level, bins, res.total, res.hits, events[:200], coarse)
