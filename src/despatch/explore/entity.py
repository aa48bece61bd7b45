"""An entity's page: the documents naming it, its names as written, mentions in context, the years it
appears in, and the entities it appears with."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..errors import NotFound
from ..model import Annotation
from ..search.index import ENTITIES
from ..search.query import QueryError
from ..search.result import SearchResult
from ..store import Archive
from ..store.base import EntityRecord
from .timeline import year_bars

CONTEXT = 70  # characters shown either side of a mention


def entity_key(a: Annotation) -> str | None:
    """The key an entity page is found by: the normalised name (what the search index holds), else the text."""
    v = a.value if isinstance(a.value, dict) else {}
    for k in ("name", "normalized", "normalised", "id", "entity", "entity_id"):
        if v.get(k):
            return str(v[k])
    return a.text.strip() or None


@dataclass
class Mention:
    doc_id: str
    title: str | None
    date: str | None
    left: str
    match: str
    right: str


@dataclass
class EntityPage:
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


def entity_page(archive: Archive, etype: str, key: str, mentions: int = 40, docs: int = 15) -> EntityPage:
    """The page of the `etype` entity found by `key` (its name or id, as `entity_key` gives it).

    Documents are those the index files under the entity (`person:"key"`); if the key cannot be searched
    as a field value, those naming it. Mentions come from the entity's annotations, or, in documents
    without enrichment, from the key as written. Where the archive holds an entity record for the key (its id,
    or its label), the record's name, variants and archive-wide co-occurrence are shown. Raises NotFound for an
    unknown entity type.
    """
    if etype not in ENTITIES:
        raise NotFound(f"unknown entity type {etype!r}; use one of {', '.join(ENTITIES)}")
    facets = ["year", *ENTITIES]
    query = f"{etype}:{_quoted(key)}"
    try:
        result = archive.search(query, per_page=docs, facets=facets)
    except QueryError:
        query = _quoted(key)
        result = archive.search(query, per_page=docs, facets=facets)
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
            found.append(Mention(doc.id, doc.title, hit.date, doc.text[max(0, s - CONTEXT):s].replace("\n", " "),
                                 doc.text[s:e], doc.text[e:e + CONTEXT].replace("\n", " ")))
    name = names.most_common(1)[0][0] if names else (variants.most_common(1)[0][0] if variants else key)
    co: list[tuple[str, str, int, str]] = []
    for f in result.facets:
        if f.name in ENTITIES:
            for v in f.values:
                label = v.label or v.value
                if f.name == etype and (v.value == key or label == name or label == key):
                    continue
                co.append((f.name, label, v.count, v.value))
    co.sort(key=lambda t: -t[2])
    page = EntityPage(etype, key, name, query, result, variants.most_common(20), found, co[:30])
    rec = _record(archive, etype, key)
    if rec is not None:  # the record's variants and co-occurrence cover the whole archive, keyed on the id
        from ..enrich.pages import entity_page as record_page

        whole = record_page(archive, rec.id, mentions=0, cooccurring=30) or {}
        page.record = rec.to_dict()
        page.name = rec.label
        page.variants = list(rec.variants.items())[:30]
        page.cooccurring = [(c["type"], c["label"], c["documents"], c["label"]) for c in whole.get("cooccurring", [])]
    return page


def _record(archive: Archive, etype: str, key: str) -> EntityRecord | None:
    """The entity record found by `key` (an id, else a label) if it is of type `etype`."""
    rec = archive.get_entity(key)
    if rec is None:
        rec = next((r for r in archive.iter_entities(etype) if r.label == key), None)
    return rec if rec is not None and rec.type == etype else None


def _is_entity(a: Annotation, key: str) -> bool:
    if entity_key(a) == key:
        return True
    v = a.value if isinstance(a.value, dict) else {}
    return key in (a.text, v.get("name"), v.get("id"))
