"""Exports of a whole result set, streamed: the response starts at once and memory stays flat.

The export library (`despatch.export`) writes every format (csv, jsonl, bibtex, ris, csl-json, tei) and
chooses the documents; this module feeds its writer one document at a time, on a connection of its own,
and sends the output in chunks.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from starlette.requests import Request
from starlette.responses import StreamingResponse

from ..export import FORMATS, iter_documents
from ..export.writers import WRITERS
from .searching import SearchFailed, SearchParams, run_search

MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8",
         "bibtex": "application/x-bibtex; charset=utf-8",
         "ris": "application/x-research-info-systems; charset=utf-8",
         "csl-json": "application/vnd.citationstyles.csl+json; charset=utf-8",
         "tei": "application/tei+xml; charset=utf-8"}
SUFFIX = {"csv": "csv", "jsonl": "jsonl", "bibtex": "bib", "ris": "ris", "csl-json": "json", "tei": "xml"}
FLUSH_BYTES = 64 * 1024  # send what the writer has produced once it reaches this size


def formats() -> list[str]:
    return list(FORMATS)


def stream(pool: Any, p: SearchParams, fmt: str) -> Iterator[str]:
    """The writer for `fmt` fed every matching document, its output sent in chunks."""
    arch = pool.fresh()
    buf = io.StringIO()

    def flush() -> str:
        out = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return out

    try:
        w = WRITERS[fmt](buf, None)
        w.begin()
        for doc in iter_documents(arch, p.q, p.filters or None):
            w.write(doc)
            w.count += 1
            if buf.tell() >= FLUSH_BYTES:
                yield flush()
        w.end()
        yield flush()
    finally:
        arch.close()


def export_response(request: Request) -> StreamingResponse:
    p = SearchParams.from_query(request.query_params)
    fmt = request.query_params.get("format") or "csv"
    if fmt not in FORMATS:
        raise SearchFailed(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}", query=p.q)
    # Parse the query before the response starts, so a bad query is a 400, not a broken download.
    check = SearchParams(q=p.q, filters=p.filters, per_page=1, facets=(), snippets=False)
    run_search(request.app.state.pool.get(), check)
    headers = {"content-disposition": f'attachment; filename="despatch-export.{SUFFIX.get(fmt, "txt")}"'}
    return StreamingResponse(stream(request.app.state.pool, p, fmt), media_type=MEDIA.get(fmt, "text/plain"),
                             headers=headers)
