"""The one place the web calls `Archive.search`: it passes what the library accepts and names errors.

The search library (despatch.search) defines the query language and the `SearchResult` object; this
module only adapts web parameters to that call, so the pages and the API show exactly what the CLI shows.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any

from ..search import SearchResult
from ..store import Archive

SORTS = {"relevance": "relevance", "date": "date", "-date": "-date"}
MAX_PER_PAGE = 100


class SearchFailed(Exception):
    """A query the user must fix (status 400) — the parser's message, position and suggestion."""

    def __init__(self, message: str, position: int | None = None, suggestion: str | None = None,
                 query: str = "") -> None:
        super().__init__(message)
        self.message, self.position, self.suggestion, self.query = message, position, suggestion, query

    def to_dict(self) -> dict[str, Any]:
        return {"message": str(self), "position": self.position, "suggestion": self.suggestion, "query": self.query}


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
        return cls(q=q, filters=filters, sort=sort, page=max(1, page), per_page=max(1, per_page), by=by)


def _int(v: Any, default: int, name: str) -> int:
    if v in (None, ""):
        return default
    try:
        return int(v)
    except (TypeError, ValueError):
        raise SearchFailed(f"{name} must be a whole number, not {v!r}") from None


def _query_error_type() -> type[Exception] | None:
    try:
        from ..search.query import QueryError
    except ImportError:
        return None
    return QueryError


def run_search(archive: Archive, p: SearchParams) -> SearchResult:
    """`archive.search` with the parameters its signature takes; parser errors become SearchFailed."""
    accepted = _accepted(archive)
    kwargs: dict[str, Any] = {}
    wanted = {"filters": p.filters, "facets": None if p.facets is None else list(p.facets), "sort": SORTS[p.sort],
              "page": p.page, "per_page": p.per_page, "by": p.by,
              "snippets": p.snippets}
    for k, v in wanted.items():
        if accepted is None or k in accepted:
            kwargs[k] = v
    if accepted is not None and "per_page" not in accepted and "limit" in accepted:
        kwargs["limit"] = p.per_page
        if "offset" in accepted:
            kwargs["offset"] = (p.page - 1) * p.per_page
    qe = _query_error_type()
    try:
        res = archive.search(p.q, **kwargs)
    except Exception as e:
        if qe is not None and isinstance(e, qe):
            raise SearchFailed(getattr(e, "message", str(e)), getattr(e, "position", None),
                               getattr(e, "suggestion", None), p.q) from None
        if isinstance(e, ValueError):
            raise SearchFailed(str(e), query=p.q) from None
        raise
    if isinstance(res, SearchResult):
        return res
    return _from_plain(p, res)


def _accepted(archive: Archive) -> set[str] | None:
    try:
        sig = inspect.signature(archive.search)
    except (TypeError, ValueError):
        return None
    if any(par.kind is inspect.Parameter.VAR_KEYWORD for par in sig.parameters.values()) and len(sig.parameters) <= 2:
        return {"limit", "offset"}
    return set(sig.parameters)


def _from_plain(p: SearchParams, rows: Any) -> SearchResult:
    """The foundation's plain search (a list of dicts) as a SearchResult, until the query language lands."""
    from ..search import Hit

    hits = [
        Hit(rank=(p.page - 1) * p.per_page + i + 1, id=r["id"], version=1, collection=r["id"].split("/")[0],
            title=r.get("title"), date=r.get("date"), date_start=r.get("date"), date_end=None, date_precision=None,
            doc_type=None, language=None, classification=None, score=None, matches=0)
        for i, r in enumerate(rows or [])
    ]
    total = (p.page - 1) * p.per_page + len(hits) + (1 if len(hits) == p.per_page else 0)
    return SearchResult(query=p.q, parsed=p.q, by="document", sort=p.sort, total=total, page=p.page,
                        per_page=p.per_page, hits=hits, filters=list(p.filters))
