"""Opening a document at the passage a search found: the query's matches and the way back to the results.

A hit links to `/documents/ID?q=...&hit=RANK` (paragraph hits add `at=START`, the paragraph's offset),
with the search's filters, sort, level and page carried along, so the document page can mark every match
(`despatch.search.passage`, the snippets' own matcher), open at the first one (in the paragraph), and
link back to the result list at the hit it came from (`#hit-RANK`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from ..model import Document
from ..search.passage import Matches, find_matches
from ..search.query import QueryError
from ..store import Archive

CARRIED = ("q", "filter", "sort", "by", "page", "per_page")  # the search parameters a hit link carries


@dataclass
class Passage:
    """What the document page needs to open at a search's matches."""

    matches: Matches | None = None
    error: str | None = None
    query_error: QueryError | None = None
    back: str | None = None  # the result list, at the hit
    carried: list[tuple[str, str]] = field(default_factory=list)

    @property
    def spans(self) -> list[tuple[int, int]]:
        return self.matches.spans if self.matches else []


def hit_link(doc_href: str, q: str, filters: list[str], sort: str, by: str, page: int, rank: int,
             at: int | None = None, per_page: int = 20) -> str:
    """The link from a hit to its document, carrying the search (and the paragraph's offset)."""
    params: list[tuple[str, str]] = [("q", q)] if q else []
    params += [("filter", f) for f in filters]
    if sort != "relevance":
        params.append(("sort", sort))
    if by != "document":
        params.append(("by", by))
    if page > 1:
        params.append(("page", str(page)))
    if per_page != 20:
        params.append(("per_page", str(per_page)))
    params.append(("hit", str(rank)))
    if at is not None:
        params.append(("at", str(at)))
    frag = f"#s{at}" if at is not None else ("#m1" if q else "")  # without scripts: the browser scrolls
    return doc_href + "?" + urlencode(params) + frag


def meta_keys(archive: Archive) -> set[str]:
    """The archive's metadata keys as its search index knows them (so a query parses as it did there)."""
    return archive.search_index.meta_keys


def passage(archive: Archive, doc: Document, params: Any) -> Passage:
    """The matches of `params["q"]` in `doc` and the link back to the results; nothing when no query."""
    q = (params.get("q") or "").strip()
    if not q:
        return Passage()
    at_raw = params.get("at")
    at = int(at_raw) if at_raw and at_raw.isdigit() and int(at_raw) <= len(doc.text) else None
    out = Passage()
    try:
        out.matches = find_matches(doc.text, q, at=at, meta_keys=meta_keys(archive))
    except QueryError as e:
        out.error, out.query_error = f"the query could not be marked: {e.message}", e
    getlist = params.getlist if hasattr(params, "getlist") else (lambda k: [params[k]] if k in params else [])
    out.carried = [(k, v) for k in CARRIED for v in getlist(k) if v]
    hit = params.get("hit")
    frag = f"#hit-{hit}" if hit and hit.isdigit() else ""
    out.back = "/?" + urlencode(out.carried) + frag
    return out
