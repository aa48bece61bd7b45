"""Documents like a given one: a query built from its entities and its most frequent long words."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..errors import BadOption, NotFound
from ..model import Document
from ..search.index import ENTITIES
from ..search.query import QueryError
from ..search.result import Hit
from ..store import Archive

log = logging.getLogger(__name__)

_STOP = set(
    "about above after again against their there these those which while would could should other under "
    "being before between during through where within without government state states united nations "
    "country countries people world international shall great years first since every further".split()
)


def similar_query(doc: Document, n: int = 8) -> str:
    """A query for documents like this one: its four most named entities and its `n` most frequent words
    of six letters or more (common words of diplomatic prose left out), OR'ed. Empty when it has none."""
    ents = Counter(
        (a.type, a.text.strip()) for a in doc.annotations if a.type in ENTITIES and len(a.text.strip()) > 2
    )
    parts = [f'"{t}"' for (_, t), _c in ents.most_common(4) if '"' not in t]
    words = Counter(w for w in re.findall(r"[^\W\d_]{6,}", doc.text.lower()) if w not in _STOP)
    parts += [w for w, _c in words.most_common(n)]
    return " OR ".join(dict.fromkeys(parts))


@dataclass
class SimilarDocuments:
    id: str
    title: str | None
    query: str
    hits: list[Hit] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "query": self.query,
                "similar": [{"id": h.id, "title": h.title, "date": h.date, "collection": h.collection,
                             "score": h.score} for h in self.hits]}


def similar(archive: Archive, doc: Document, limit: int = 6) -> SimilarDocuments:
    """The `limit` documents most like `doc`, itself left out: nearest in meaning where the archive has
    paragraph vectors (`despatch embed`), else those that best match `similar_query(doc)`."""
    if archive.semantic_ready():
        q = f'similar:"{doc.id}"'
        res = archive.search(q, mode="semantic", per_page=limit, facets=[], snippets=False)
        return SimilarDocuments(doc.id, doc.title, q, res.hits)
    q = similar_query(doc)
    out = SimilarDocuments(doc.id, doc.title, q)
    if not q:
        return out
    try:
        res = archive.search(q, per_page=limit + 1, facets=[], snippets=False)
    except QueryError as e:  # a query built from the document that the parser refuses: a bug, said so
        log.error("similar documents for %s: the query made from it failed: %s", doc.id, e)
        return out
    out.hits = [h for h in res.hits if h.id != doc.id][:limit]
    return out


@dataclass
class SimilarPassage:
    id: str
    title: str | None
    paragraph: int
    similarity: float
    text: str


def similar_paragraphs(archive: Archive, doc_id: str, paragraph: int, limit: int = 6) -> list[SimilarPassage]:
    """The paragraphs nearest in meaning to paragraph `paragraph` (1-based) of a document, elsewhere in the
    archive. Needs paragraph vectors (`despatch embed`)."""
    if not archive.semantic_ready():
        raise BadOption("similar paragraphs need paragraph vectors: run `despatch embed` first")
    key = archive.current_key(doc_id)
    if key is None:
        raise NotFound(f"no document {doc_id!r}")
    near = archive.meaning().nearest_paragraph(key, paragraph, limit * 3)
    records = archive.hit_records(sorted({k for k, _n, _s in near}))
    out: list[SimilarPassage] = []
    for k, n, score in near:
        r = records.get(k)
        span = archive.meaning().passage(k, n) if r is not None and k != key else None
        if r is None or span is None:
            continue
        text = archive.text_slice(r.id, r.version, *span) or ""
        out.append(SimilarPassage(r.id, r.title, n, score, text))
        if len(out) == limit:
            break
    return out
