"""Exports of a whole result set, streamed: the response starts at once and memory stays flat.

The export library (`despatch.export`) writes every format (csv, jsonl, bibtex, ris, csl-json, tei); this
module only feeds its writer one document at a time and sends the output in chunks, on a connection of
its own. Without the library, CSV and JSON Lines of the hits are still offered.
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
         "bibtex": "application/x-bibtex; charset=utf-8",
         "ris": "application/x-research-info-systems; charset=utf-8",
         "csl-json": "application/vnd.citationstyles.csl+json; charset=utf-8",
         "tei": "application/tei+xml; charset=utf-8"}
SUFFIX = {"csv": "csv", "jsonl": "jsonl", "bibtex": "bib", "ris": "ris", "csl-json": "json", "tei": "xml"}
PAGE = 500


FLUSH_BYTES = 64 * 1024  # send what the writer has produced once it reaches this size


def _library() -> Any:
    try:
        from ..export import writers
    except ImportError:
        return None
    return writers


def formats() -> list[str]:
    lib = _library()
    if lib is None:
        return list(BASIC)
    return list(lib.FORMATS)


def _library_stream(arch: Archive, p: SearchParams, fmt: str) -> Iterator[str]:
    """The export library's writer for `fmt`, fed one document at a time, its output sent in chunks."""
    from ..export import iter_documents

    buf = io.StringIO()
    w = _library().WRITERS[fmt](buf, None)

    def flush() -> str:
        out = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return out

    w.begin()
    for doc in iter_documents(arch, p.q, p.filters or None):
        w.write(doc)
        w.count += 1
        if buf.tell() >= FLUSH_BYTES:
            yield flush()
    w.end()
    yield flush()


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
        if _library() is not None:
            yield from _library_stream(arch, p, fmt)
        elif fmt == "csv":
            yield from _csv(hit_rows(arch, p))
        else:
            for r in hit_rows(arch, p):
                yield json.dumps(r, ensure_ascii=False) + "\n"
    finally:
        arch.close()


def export_response(request: Request) -> StreamingResponse:
    p = SearchParams.from_query(request.query_params)
    fmt = request.query_params.get("format") or "csv"
    if fmt not in formats():
        raise SearchFailed(f"unknown export format {fmt!r}; use one of {', '.join(formats())}", query=p.q)
    # Parse the query before the response starts, so a bad query is a 400, not a broken download.
    check = SearchParams(q=p.q, filters=p.filters, per_page=1, facets=(), snippets=False)
    run_search(request.app.state.pool.get(), check)
    headers = {"content-disposition": f'attachment; filename="despatch-export.{SUFFIX.get(fmt, "txt")}"'}
    return StreamingResponse(stream(request.app.state.pool, p, fmt), media_type=MEDIA.get(fmt, "text/plain"),
                             headers=headers)
