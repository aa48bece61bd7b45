"""Bulk export: a whole result set streamed to one file in constant memory (csv, jsonl, bibtex, ris,
csl-json, tei), and the TEI P5 form of one document (tei.py)."""

from __future__ import annotations

from typing import Any, TextIO

from ..errors import BadOption
from ..store import Archive
from .select import iter_documents, iter_ids, iter_search_ids
from .writers import FORMATS, formats, writer_class


def export(archive: Archive, query: str, fmt: str, out: TextIO, accessed: str | None = None,
           filters: Any = None, ids: list[str] | None = None) -> int:
    """Write every document matching `query` (all for an empty query) to `out` as `fmt`; returns the count.

    `ids` exports those documents instead of a query's (one id with fmt "tei" gives a standalone TEI
    document rather than a teiCorpus). Documents are read and written one at a time, so memory stays flat
    whatever the size of the result.
    """
    cls = writer_class(fmt)
    if ids:
        docs = []
        for i in ids:
            doc = archive.get(i)
            if doc is None:
                raise BadOption(f"no document {i!r} in the archive (--id)")
            docs.append(doc)
        if fmt == "tei" and len(docs) == 1:
            from .tei import tei_document

            out.write(tei_document(docs[0]))
            return 1
        stream = iter(docs)
    else:
        stream = iter_documents(archive, query, filters)
    w = cls(out, accessed)
    w.begin()
    for doc in stream:
        w.write(doc)
        w.count += 1
    w.end()
    return w.count


__all__ = ["FORMATS", "export", "formats", "writer_class", "iter_documents", "iter_ids", "iter_search_ids"]
