"""Exports of a whole result set, streamed: the response starts at once and memory stays flat.

The formats come from the export library (`despatch.export`) when it is installed; CSV and JSON Lines of
the hits are always available. The stream runs on a connection of its own, paging through the result.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from starlette.requests import Request
from starlette.responses import StreamingResponse

from ..store import Archive
from .searching import SearchFailed, SearchParams, run_search

BASIC = ("csv", "jsonl")
MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8",
         "bibtex": "application/x-bibtex; charset=utf-8", "ris": "application/x-research-info-systems; charset=utf-8",
         "csl-json": "application/vnd.citationstyles.csl+json; charset=utf-8", "tei": "application/tei+xml; charset=utf-8"}
SUFFIX = {"csv": "csv", "jsonl": "jsonl", "bibtex": "bib", "ris": "ris", "csl-json": "json", "tei": "xml"}
PAGE = 500


def _library() -> Any:
    try:
        from .. import export
    except ImportError:
        return None
    return export if hasattr(export, "FORMATS") and hasattr(export, "export_ids") else None


def formats() -> list[str]:
    lib = _library()
    if lib is None:
        return list(BASIC)
    return list(dict.fromkeys([*BASIC, *lib.FORMATS]))


def result_ids(archive: Archive, p: SearchParams) -> Iterator[str]:
    """Every document id of the result, in the result's order, a page at a time."""
    page = 1
    seen: set[str] = set()
    while True:
        res = run_search(archive, SearchParams(q=p.q, filters=p.filters, sort=p.sort, page=page, per_page=PAGE,
                                               by="document", facets=(), snippets=False))
        for h in res.hits:
            if h.id not in seen:
                seen.add(h.id)
                yield h.id
        if not res.hits or page >= res.pages:
            return
        page += 1


def hit_rows(archive: Archive, p: SearchParams) -> Iterator[dict[str, Any]]:
    page = 1
    while True:
        res = run_search(archive, SearchParams(q=p.q, filters=p.filters, sort=p.sort, page=page, per_page=PAGE,
                                               by="document", facets=(), snippets=False))
        for h in res.hits:
            yield {"rank": h.rank, "id": h.id, "title": h.title, "date": h.date_start, "date_text": h.date,
                   "collection": h.collection, "type": h.doc_type, "classification": h.classification,
                   "language": h.language, "matches": h.matches}
        if not res.hits or page >= res.pages:
            return
        page += 1


def _csv(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    buf = io.StringIO()
    w: csv.DictWriter[str] | None = None
    for r in rows:
        if w is None:
            w = csv.DictWriter(buf, fieldnames=list(r))
            w.writeheader()
        w.writerow({k: _cell(v) for k, v in r.items()})
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()


def _cell(v: Any) -> Any:
    # Spreadsheet formula injection: a cell starting with = + - @ is shown as text.
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def stream(pool: Any, p: SearchParams, fmt: str) -> Iterator[str | bytes]:
    arch = pool.fresh()
    try:
        lib = _library()
        if fmt == "csv":
            yield from _csv(hit_rows(arch, p))
        elif fmt == "jsonl" and lib is None:
            for r in hit_rows(arch, p):
                yield json.dumps(r, ensure_ascii=False) + "\n"
        else:
            yield from lib.export_ids(arch, result_ids(arch, p), fmt)
    finally:
        arch.close()


def export_response(request: Request) -> StreamingResponse:
    p = SearchParams.from_query(request.query_params)
    fmt = request.query_params.get("format") or "csv"
    if fmt not in formats():
        raise SearchFailed(f"unknown export format {fmt!r}; use one of {', '.join(formats())}", query=p.q)
    # Parse the query before the response starts, so a bad query is a 400, not a broken download.
    run_search(request.app.state.pool.get(), SearchParams(q=p.q, filters=p.filters, per_page=1, facets=(), snippets=False))
    headers = {"content-disposition": f'attachment; filename="despatch-export.{SUFFIX.get(fmt, "txt")}"'}
    return StreamingResponse(stream(request.app.state.pool, p, fmt), media_type=MEDIA.get(fmt, "text/plain"),
                             headers=headers)
