"""The one place the web calls `Archive.search`: request parameters in, `SearchResult` out, errors named.

The search library (despatch.search) defines the query language and the result object; this module only
reads the web's parameters, so the pages and the API show exactly what the CLI shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import BadOption
from ..search import SearchResult
from ..search.query import QueryError
from ..store import Archive

SORTS = {"relevance": "relevance", "date": "date", "-date": "-date"}
MAX_PER_PAGE = 100


class SearchFailed(BadOption):
    """A query or search parameter the user must fix (status 400) — the parser's message, position and
    suggestion; the message stays the parser's own words, the position is shown beside it."""

    def __init__(self, message: str, position: int | None = None, suggestion: str | None = None,
                 query: str = "") -> None:
        super().__init__(message)
        self.message, self.position, self.suggestion, self.query = message, position, suggestion, query

    def details(self) -> dict[str, Any]:
        return {"position": self.position, "suggestion": self.suggestion, "query": self.query}

    def to_dict(self) -> dict[str, Any]:
        return {"message": str(self), **self.details()}


MODES = ("auto", "text", "semantic", "hybrid")


@dataclass
class SearchParams:
    q: str = ""
    filters: list[str] = field(default_factory=list)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    by: str = "document"
    facets: tuple[str, ...] | None = None  # None: the library's default facets; (): none
    snippets: bool = True
    mode: str = "auto"  # text, semantic, hybrid; auto: hybrid where the archive has paragraph vectors

    @classmethod
    def from_query(cls, params: Any) -> SearchParams:
        """From a request's query parameters (a Starlette QueryParams or a dict of lists)."""
        getlist = params.getlist if hasattr(params, "getlist") else (lambda k: params.get(k, []))
        get = params.get
        q = (get("q") or "").strip()
        sort = get("sort") or "relevance"
        if sort not in SORTS:
            raise SearchFailed(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}", query=q)
        by = get("by") or "document"
        if by not in ("document", "paragraph"):
            raise SearchFailed(f"unknown granularity {by!r}; use document or paragraph", query=q)
        page = _int(get("page"), 1, "page")
        per_page = min(MAX_PER_PAGE, _int(get("per_page"), 20, "per_page"))
        filters = [f for f in getlist("filter") if f.strip()]
        mode = get("mode") or "auto"
        if mode not in MODES:
            raise SearchFailed(f"unknown mode {mode!r}; use one of {', '.join(MODES)}", query=q)
        return cls(q=q, filters=filters, sort=sort, page=max(1, page), per_page=max(1, per_page), by=by,
                   mode=mode)


def _int(v: Any, default: int, name: str) -> int:
    if v in (None, ""):
        return default
    try:
        n = int(v)
    except (TypeError, ValueError):
        raise SearchFailed(f"{name} must be a whole number, not {str(v)[:40]!r}") from None
    if abs(n) > 1_000_000:
        raise SearchFailed(f"{name} must be at most 1000000")
    return n


def run_search(archive: Archive, p: SearchParams) -> SearchResult:
    """`archive.search` with the page's parameters; the parser's errors become SearchFailed (a 400)."""
    try:
        return archive.search(p.q, filters=p.filters, facets=None if p.facets is None else list(p.facets),
                              sort=SORTS[p.sort], page=p.page, per_page=p.per_page, by=p.by, snippets=p.snippets,
                              mode=p.mode)
    except QueryError as e:
        raise SearchFailed(e.message, e.position, e.suggestion, p.q) from None
