"""Judgment profiles: how often and how sure the writers of a subset were, by originator, collection
or period.

Reads the `judgment` and `uncertainty` annotations the enrichment made (cue, probability, bands on the
Kent 1964, ICD 203 and PHIA scales, hedged, negated). For each group: documents, words, judgments per
10,000 words, statements of uncertainty, mean and median probability, how many judgments fall in each
Kent band, the share hedged and negated; and every judgment itself with its sentence and the document
and offsets that open it in the reading room.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..store.base import Archive
from .subset import filter_list

GROUPS = ("originator", "collection", "year", "decade", "country")
KENT = ("certain", "almost certain", "probable", "chances about even", "probably not", "almost certainly not",
        "impossible")
TYPES = ("judgment", "uncertainty")


@dataclass
class Judgment:
    document: str
    date: str | None
    group: str
    type: str  # judgment | uncertainty
    start: int
    end: int
    sentence: str
    cue: str | None
    probability: float | None
    kent: str | None
    icd203: str | None
    phia: str | None
    hedged: bool
    negated: bool
    block: int  # start of the paragraph (or other block) holding the sentence: the reading room's #s anchor

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Profile:
    group: str
    documents: int = 0
    words: int = 0
    judgments: int = 0
    uncertainty: int = 0
    probabilities: list[float] = field(default_factory=list)
    kent: dict[str, int] = field(default_factory=dict)
    hedged: int = 0
    negated: int = 0

    def to_dict(self) -> dict[str, Any]:
        p = self.probabilities
        return {
            "group": self.group, "documents": self.documents, "words": self.words, "judgments": self.judgments,
            "per_10k_words": round(self.judgments * 10_000 / self.words, 3) if self.words else 0.0,
            "uncertainty": self.uncertainty,
            "mean_probability": round(statistics.fmean(p), 4) if p else None,
            "median_probability": round(statistics.median(p), 4) if p else None,
            "kent": {k: self.kent.get(k, 0) for k in KENT},
            "hedged_share": round(self.hedged / self.judgments, 4) if self.judgments else 0.0,
            "negated_share": round(self.negated / self.judgments, 4) if self.judgments else 0.0,
        }


@dataclass
class Profiles:
    query: str
    filters: list[str]
    by: str
    corpus: dict[str, Any]
    profiles: list[Profile] = field(default_factory=list)
    judgments: list[Judgment] = field(default_factory=list)

    def to_dict(self, with_items: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {"analysis": "judgments", "query": self.query, "filters": self.filters, "by": self.by,
                             "corpus": self.corpus, "profiles": [p.to_dict() for p in self.profiles]}
        if with_items:
            d["judgments"] = [j.to_dict() for j in self.judgments]
        return d


def _group(doc: Any, by: str) -> str:
    if by == "originator":
        return doc.originator or doc.metadata.get("country") or "(unknown)"
    if by == "collection":
        return doc.collection
    if by == "country":
        return str(doc.metadata.get("country") or "(unknown)")
    y = doc.date.start[:4] if doc.date and doc.date.start else ""
    if not y.isdigit():
        return "(undated)"
    return f"{int(y) // 10 * 10}s" if by == "decade" else y


def _docs(archive: Archive, query: str, fl: list[str], paragraphs: bool) -> Iterator[tuple[Any, list[Any]]]:
    """(document, [(start, end) of its matching paragraphs] or [] for the whole document)."""
    cur: int | None = None
    spans: list[tuple[int, int]] = []
    order: list[tuple[int, list[tuple[int, int]]]] = []
    for m in archive.matches(query or "*", filters=fl, by="paragraph" if paragraphs else "document"):
        if m.doc != cur:
            cur, spans = m.doc, []
            order.append((m.doc, spans))
        if paragraphs and m.start is not None:
            spans.append((m.start, m.end or 0))
        if len(order) >= 200:
            yield from _load(archive, order[:-1])
            order = order[-1:]
    yield from _load(archive, order)


def _load(archive: Archive, order: list[tuple[int, list[tuple[int, int]]]]) -> Iterator[tuple[Any, list[Any]]]:
    docs = dict(archive.iter_keyed([k for k, _ in order], annotation_types=TYPES))
    for k, spans in order:
        if k in docs:
            yield docs[k], spans


def judgments(
    archive: Archive, query: str = "*", filters: Any = None, by: str = "year", paragraphs: bool = False,
    items: bool = True,
) -> Profiles:
    """Profiles of the estimative judgments in the documents (or, with `paragraphs`, only the paragraphs)
    that `query` and `filters` select, one per value of `by`."""
    if by not in GROUPS:
        raise ValueError(f"by must be one of {', '.join(GROUPS)}, not {by!r}")
    fl = filter_list(filters)
    groups: dict[str, Profile] = {}
    result = Profiles(query or "*", fl, by, corpus={})
    ndocs = 0
    for doc, spans in _docs(archive, query, fl, paragraphs):
        ndocs += 1
        g = _group(doc, by)
        prof = groups.setdefault(g, Profile(g))
        prof.documents += 1
        prof.words += sum(len(doc.text[s:e].split()) for s, e in spans) if spans else len(doc.text.split())
        for a in doc.annotations:
            if a.type not in TYPES or (spans and not any(s <= a.start < e for s, e in spans)):
                continue
            v = a.value if isinstance(a.value, dict) else {}
            if a.type == "uncertainty":
                prof.uncertainty += 1
            else:
                prof.judgments += 1
                p = v.get("probability")
                if isinstance(p, (int, float)):
                    prof.probabilities.append(float(p))
                if v.get("kent"):
                    prof.kent[v["kent"]] = prof.kent.get(v["kent"], 0) + 1
                prof.hedged += bool(v.get("hedged"))
                prof.negated += bool(v.get("negated"))
            if items:
                block = max((sp.start for sp in doc.structure if sp.start <= a.start < sp.end
                             and sp.type not in ("page_break", "note_ref", "omission")), default=0)
                result.judgments.append(Judgment(
                    doc.id, doc.date.start if doc.date else None, g, a.type, a.start, a.end,
                    " ".join(a.text.split()), v.get("cue"), v.get("probability"), v.get("kent"),
                    v.get("icd203"), v.get("phia"), bool(v.get("hedged")), bool(v.get("negated")), block))
    result.profiles = sorted(groups.values(), key=lambda p: p.group)
    result.corpus = {"documents": ndocs, "judgments": sum(p.judgments for p in result.profiles),
                     "uncertainty": sum(p.uncertainty for p in result.profiles)}
    return result
