"""Bulk export: a whole result set streamed to one file in constant memory (csv, jsonl, bibtex, ris,
csl-json, tei), and the TEI P5 form of one document (tei.py)."""

from __future__ import annotations

from typing import Any, TextIO

from ..store import Archive
from .select import iter_documents, iter_ids, iter_search_ids
from .writers import FORMATS, WRITERS


def export(archive: Archive, query: str, fmt: str, out: TextIO, accessed: str | None = None,
           filters: Any = None) -> int:
    """Write every document matching `query` (all for an empty query) to `out` as `fmt`; returns the count.

    Documents are read and written one at a time, so memory stays flat whatever the size of the result.
    """
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    w = WRITERS[fmt](out, accessed)
    w.begin()
    for doc in iter_documents(archive, query, filters):
        w.write(doc)
        w.count += 1
    w.end()
    return w.count


__all__ = ["FORMATS", "export", "iter_documents", "iter_ids", "iter_search_ids"]
