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

from ..export import formats as export_formats
from ..export import iter_documents, writer_class
from . import auth
from .searching import SearchFailed, SearchParams, run_search

FLUSH_BYTES = 64 * 1024  # send what the writer has produced once it reaches this size


def formats() -> list[str]:
    return export_formats()


def stream(pool: Any, p: SearchParams, fmt: str, hidden: frozenset[str] = frozenset()) -> Iterator[str]:
    """The writer for `fmt` fed every matching document the reader may read, its output sent in chunks."""
    own, arch = auth.fresh_view(pool, hidden)
    buf = io.StringIO()

    def flush() -> str:
        out = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return out

    try:
        w = writer_class(fmt)(buf, None)
        w.begin()
        for doc in iter_documents(arch, p.q, p.filters or None):
            w.write(doc)
            w.count += 1
            if buf.tell() >= FLUSH_BYTES:
                yield flush()
        w.end()
        yield flush()
    finally:
        own.close()


def export_response(request: Request) -> StreamingResponse:
    p = SearchParams.from_query(request.query_params)
    fmt = request.query_params.get("format") or "csv"
    if fmt not in export_formats():
        raise SearchFailed(f"unknown export format {fmt!r}; use one of {', '.join(export_formats())}", query=p.q)
    cls = writer_class(fmt)
    # Parse the query before the response starts, so a bad query is a 400, not a broken download.
    check = SearchParams(q=p.q, filters=p.filters, per_page=1, facets=(), snippets=False)
    run_search(auth.view(request), check)
    auth.audit(request, "export", p.q, format=fmt, filters=list(p.filters))
    headers = {"content-disposition": f'attachment; filename="despatch-export.{cls.suffix}"'}
    return StreamingResponse(stream(request.app.state.pool, p, fmt, auth.hidden(request)), media_type=cls.media_type,
                             headers=headers)
