"""Trends: how many documents (or paragraphs, or mentions) match each of several queries, period by
period, against how many there are — so that a share can be recomputed from the numbers shown.

Documents and paragraphs are counted by the search index in one aggregation per query (and one for
the totals, kept per index version); the share carries a 95 % Wilson interval. Mentions count the
occurrences of a word or phrase in the token corpus and are normalised per 10,000 words of the period.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..search.facets import FACETS
from ..search.grid import Grid
from ..store.base import Archive
from . import stats
from .subset import filter_list

PERIODS = ("year", "month", "decade")
UNITS = ("documents", "paragraphs", "mentions")
SPLITS = tuple(n for n in FACETS if n not in ("year", "decade"))
_TOTALS: dict[tuple[Any, ...], Any] = {}
_LOCK = threading.Lock()


@dataclass
class Series:
    query: str
    split: str | None
    points: list[dict[str, Any]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(p["count"] for p in self.points)

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "split": self.split, "count": self.count, "points": self.points}


@dataclass
class Trend:
    queries: list[str]
    filters: list[str]
    unit: str
    period: str
    split: str | None
    corpus: dict[str, Any]
    series: list[Series] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"analysis": "trend", "queries": self.queries, "filters": self.filters, "unit": self.unit,
                "period": self.period, "split": self.split, "corpus": self.corpus, "warnings": self.warnings,
                "measure": ("mentions per 10,000 words of the period" if self.unit == "mentions" else
                            f"share of {self.unit} in the period, 95% Wilson interval"),
                "series": [s.to_dict() for s in self.series]}

    def periods(self) -> list[str]:
        return sorted({p["period"] for s in self.series for p in s.points})


def _totals(archive: Archive, filters: list[str], by: str, period: str, split: str | None, watermark: int) -> Grid:
    """Units per period (and split value), counted once per index version."""
    key = (id(archive), tuple(filters), by, period, split, watermark)
    with _LOCK:
        hit = _TOTALS.get(key)
    if hit is not None:
        return hit
    g = archive.count_grid("*", filters=filters, by=by, period=period, split=split)
    with _LOCK:
        if len(_TOTALS) > 64:
            _TOTALS.clear()
        _TOTALS[(id(archive), tuple(filters), by, period, split, g.watermark)] = g
    return g


def trend(
    archive: Archive,
    queries: list[str],
    period: str = "year",
    split: str | None = None,
    filters: Any = None,
    unit: str = "documents",
    start: int | None = None,
    end: int | None = None,
) -> Trend:
    """One series per query (per query and split value when split), each a list of points
    {period, count, total, share, low, high}; `start`/`end` bound the years shown."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    if not queries:
        raise ValueError("give at least one query")
    fl = filter_list(filters)
    if unit == "mentions":
        return _mentions(archive, queries, period, split, fl, start, end)
    by = "document" if unit == "documents" else "paragraph"
    first = archive.count_grid(queries[0], filters=fl, by=by, period=period, split=split)
    totals = _totals(archive, fl, by, period, split, first.watermark)
    result = Trend(list(queries), fl, unit, period, split,
                   corpus={by + "s": totals.total, "by": by, "watermark": totals.watermark})
    shown = [i for i, p in enumerate(totals.periods) if _in(p, start, end)]
    labels = [totals.periods[i] for i in shown]
    for i, q in enumerate(queries):
        g = first if i == 0 else archive.count_grid(q, filters=fl, by=by, period=period, split=split)
        result.warnings += [f"{q}: {w}" for w in g.warnings]
        rows = _align(totals.periods, g.periods)[shown]  # the query's row of each period shown (-1: none)
        have = np.flatnonzero(rows >= 0)
        if split is None:
            got = np.zeros(len(shown), dtype=np.int64)
            got[have] = g.period_counts[rows[have]]
            result.series.append(Series(q, None, _points(labels, got[:, None], totals.period_counts[shown, None])[0]))
            continue
        tot = totals.cells[shown]  # [period shown, value]
        got = np.zeros_like(tot)
        cols = _align(g.values, totals.values)  # the totals' column of each of the query's values
        known = np.flatnonzero(cols >= 0)
        if len(have) and len(known):
            got[np.ix_(have, cols[known])] = g.cells[np.ix_(rows[have], known)]
        kept = np.flatnonzero(tot.any(axis=0))
        for j, pts in zip(kept.tolist(), _points(labels, got[:, kept], tot[:, kept]), strict=True):
            result.series.append(Series(q, totals.values[j], pts))
    return result


def _align(target: list[str], source: list[str]) -> np.ndarray:
    """For each label of `target`, its position in `source` (-1: absent)."""
    at = {v: i for i, v in enumerate(source)}
    return np.array([at.get(v, -1) for v in target], dtype=np.int64)


def _in(period: str, start: int | None, end: int | None) -> bool:
    """Whether a period ("1953", "1953-09", "1950s") overlaps the years start..end."""
    y = int(period[:4])
    last = y + 9 if period.endswith("s") else y
    return (start is None or last >= start) and (end is None or y <= end)


def _points(periods: list[str], got: np.ndarray, tot: np.ndarray) -> list[list[dict[str, Any]]]:
    """The points of each column of `got` and `tot` ([period, series]): count, total, share and its
    Wilson interval per period, worked out for every series at once."""
    lo, hi = stats.wilson_arrays(got, tot)
    share = np.zeros(tot.shape)
    np.divide(got, tot, out=share, where=tot > 0)
    cols = [m.T.tolist() for m in (got, tot, share)] + [stats.round_like_python(m, 6).T.tolist() for m in (lo, hi)]
    return [[{"period": p, "count": k, "total": n, "share": sh, "low": a, "high": b}
             for p, k, n, sh, a, b in zip(periods, *c, strict=True)] for c in zip(*cols, strict=True)]


def _period_of(year: np.ndarray, period: str) -> list[str]:
    if period == "decade":
        return [f"{y // 10 * 10}s" for y in year]
    return [str(y) for y in year]


def _mentions(archive: Archive, queries: list[str], period: str, split: str | None, fl: list[str],
              start: int | None, end: int | None) -> Trend:
    from .collocates import node_positions
    from .corpus import load
    from .subset import para_mask, select

    if period == "month":
        raise ValueError("mentions are counted by year or decade")
    if split is not None:
        raise ValueError("mentions cannot be split yet; use documents or paragraphs, or a filter per value")
    tc = load(archive)
    if fl:
        sub = select(archive, tc, "*", fl, "document")
        mask = para_mask(tc, sub.paras)
    else:
        mask = None
    doc_words = np.diff(tc.para_tok[tc.doc_para])
    if mask is not None:
        per_para = np.diff(tc.para_tok) * mask
        doc_words = np.add.reduceat(per_para, tc.doc_para[:-1]) if len(per_para) else doc_words * 0
        doc_words[np.diff(tc.doc_para) == 0] = 0
    dated = tc.doc_year > 0
    labels = np.array(_period_of(tc.doc_year, period)) if len(tc.doc_year) else np.array([], dtype=str)
    tot: dict[str, int] = {}
    for p in np.unique(labels[dated]):
        tot[str(p)] = int(doc_words[dated & (labels == p)].sum())
    result = Trend(list(queries), fl, "mentions", period, None,
                   corpus={"words": tc.size, "documents": int(len(tc.doc_keys)), "watermark": tc.watermark})
    for q in queries:
        pos, _, forms = node_positions(tc, q)
        para = tc.para_of(pos)
        if mask is not None:
            para = para[mask[para]]
        doc = np.searchsorted(tc.doc_para, para, side="right") - 1
        per_doc = np.bincount(doc, minlength=len(tc.doc_keys))
        pts = []
        for p in sorted(tot):
            if not _in(p, start, end):
                continue
            k = int(per_doc[dated & (labels == p)].sum())
            n = tot[p]
            pts.append({"period": p, "count": k, "total": n, "share": k / n if n else 0.0,
                        "per_10k_words": round(k * 10_000 / n, 4) if n else 0.0})
        if not forms:
            result.warnings.append(f"{q!r} does not occur in the archive")
        result.series.append(Series(q, None, pts))
    return result
